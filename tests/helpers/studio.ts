import { eq } from "drizzle-orm";
import { bookings } from "../../db/schema";
import { useTestDatabase, type TestKit } from "./kit";

/** The row of the booking `publicId`. */
export const bookingRow = async (kit: TestKit, publicId: string) =>
  (await kit.db().select().from(bookings).where(eq(bookings.publicId, publicId)))[0];

/**
 * The studio tests' cast, signed in before the file's tests: `owner` owns S0001, `stallOwner`
 * T0001 (another merchant), `resident` owns nothing, `president` is an officer (S0002's owner).
 */
export const studioCast = (kit: TestKit) =>
  kit.signedIn({ owner: "shopOwner", stallOwner: "stallOwner", resident: "resident", president: "president" });

/**
 * The studio tests' opening: this file's database (`useTestDatabase`), its `db`, the studio cast
 * signed in before the tests, and `row(publicId)`, a booking's row.
 */
export function useStudioDatabase() {
  const kit = useTestDatabase();
  return { kit, db: kit.db, actors: studioCast(kit), row: (publicId: string) => bookingRow(kit, publicId) };
}
