import { getSqlite } from "~/db/client.server";

export function databaseHealthy(): boolean {
  try {
    return getSqlite().prepare("select count(*) as n from users").get() !== undefined;
  } catch {
    return false;
  }
}
