import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261202070825 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "uplift_model_version" drop constraint if exists "uplift_model_version_kind_check";`);

    this.addSql(`alter table if exists "uplift_training_run" drop constraint if exists "uplift_training_run_model_check";`);

    this.addSql(`alter table if exists "uplift_model_version" add constraint "uplift_model_version_kind_check" check("kind" in ('propensity', 'response', 'fraud', 'recommender'));`);

    this.addSql(`alter table if exists "uplift_training_run" add constraint "uplift_training_run_model_check" check("model" in ('propensity', 'response', 'fraud', 'recommender'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "uplift_model_version" drop constraint if exists "uplift_model_version_kind_check";`);

    this.addSql(`alter table if exists "uplift_training_run" drop constraint if exists "uplift_training_run_model_check";`);

    this.addSql(`alter table if exists "uplift_model_version" add constraint "uplift_model_version_kind_check" check("kind" in ('propensity', 'response', 'fraud'));`);

    this.addSql(`alter table if exists "uplift_training_run" add constraint "uplift_training_run_model_check" check("model" in ('propensity', 'response', 'fraud'));`);
  }

}
