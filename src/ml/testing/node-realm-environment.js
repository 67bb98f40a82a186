/**
 * Jest runs each spec in a vm context whose typed-array constructors differ from Node's, while
 * onnxruntime-node's binding hands back Node-realm typed arrays and onnxruntime-common checks them with
 * `instanceof`. Specs that run ONNX sessions opt into this environment with a
 * `@jest-environment ./src/ml/testing/node-realm-environment.js` docblock so both sides share constructors.
 */
const { TestEnvironment } = require("jest-environment-node")

const SHARED = [
  "ArrayBuffer",
  "SharedArrayBuffer",
  "DataView",
  "Uint8Array",
  "Uint8ClampedArray",
  "Int8Array",
  "Uint16Array",
  "Int16Array",
  "Uint32Array",
  "Int32Array",
  "Float32Array",
  "Float64Array",
  "BigInt64Array",
  "BigUint64Array",
]

class NodeRealmEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context)
    for (const name of SHARED) this.global[name] = globalThis[name]
  }
}

module.exports = NodeRealmEnvironment
