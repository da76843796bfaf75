import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';

const now = Date.now();

async function business(id: string) {
  await env.DB.prepare("INSERT INTO businesses (id, name, country, created_at) VALUES (?, ?, 'GB', ?)").bind(id, id, now).run();
  await env.DB.prepare("INSERT INTO users (id, business_id, name, email, created_at, updated_at) VALUES (?, ?, 'U', ?, ?, ?)")
    .bind(`${id}_user`, id, `${id}@x.example`, now, now)
    .run();
}

describe('the accounts schema', () => {
  beforeAll(async () => {
    await business('biz_one');
    await business('biz_two');
  });

  it('refuses a number assigned to a user of another business', async () => {
    const insert = env.DB.prepare(
      "INSERT INTO numbers (id, business_id, e164, assigned_user_id, created_at) VALUES ('n1', 'biz_one', '+442079460999', ?, ?)",
    );
    await expect(insert.bind('biz_two_user', now).run()).rejects.toThrow(/FOREIGN KEY/);
    await insert.bind('biz_one_user', now).run();
  });

  it('refuses an override number from another business', async () => {
    await env.DB.prepare("INSERT INTO numbers (id, business_id, e164, created_at) VALUES ('n2', 'biz_two', '+442079460998', ?)")
      .bind(now)
      .run();
    const update = env.DB.prepare("UPDATE users SET override_number_id = 'n2' WHERE id = 'biz_one_user'");
    await expect(update.run()).rejects.toThrow(/FOREIGN KEY/);
  });

  it('keeps numbers unique, and at most one allocated per user', async () => {
    await env.DB.prepare("INSERT INTO numbers (id, business_id, e164, created_at) VALUES ('n3', 'biz_one', '+442079460997', ?)")
      .bind(now)
      .run();
    await expect(
      env.DB.prepare("INSERT INTO numbers (id, business_id, e164, created_at) VALUES ('n4', 'biz_one', '+442079460997', ?)")
        .bind(now)
        .run(),
    ).rejects.toThrow(/UNIQUE/);
    // biz_one_user already holds n1 (first test): a second allocation is refused.
    await expect(env.DB.prepare("UPDATE numbers SET assigned_user_id = 'biz_one_user' WHERE id = 'n3'").run()).rejects.toThrow(/UNIQUE/);
  });
});
