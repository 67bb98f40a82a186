import * as fs from "fs"
import * as path from "path"

/**
 * Medusa records every module's migrations by name in one `mikro_orm_migrations` table: a second module's
 * migration with a name already recorded is taken as run and silently skipped (its tables never exist).
 */
// Under src/lib, not src/modules: Medusa loads every folder of src/modules as a module.
describe("migration names", () => {
  it("are unique across the plugin's modules", () => {
    const modulesDir = path.join(__dirname, "../../modules")
    const owners = new Map<string, string[]>()
    for (const module of fs.readdirSync(modulesDir)) {
      const dir = path.join(modulesDir, module, "migrations")
      if (!fs.existsSync(dir)) continue
      for (const file of fs.readdirSync(dir).filter((name) => /^Migration.*\.ts$/.test(name))) {
        const name = file.replace(/\.ts$/, "")
        owners.set(name, [...(owners.get(name) ?? []), module])
      }
    }
    expect(owners.size).toBeGreaterThan(0)
    expect([...owners].filter(([, modules]) => modules.length > 1)).toEqual([])
  })
})
