// One learner asking for a peer review from a process of its own, for the concurrency test of
// app/models/peer-review.server.test.ts: it loads the app and opens the database, prints "ready",
// and asks once a line arrives on stdin, so that several processes ask at the same moment.
import { createInterface } from "node:readline";
import { exerciseFor, requestPeerReview, submissionOf } from "~/models/exercise.server";

const [userId = "", slug = ""] = process.argv.slice(2);
exerciseFor(userId, slug);
submissionOf(userId, slug);
const lines = createInterface({ input: process.stdin });
process.stdout.write("ready\n");
await new Promise((resolve) => lines.once("line", resolve));
lines.close();
process.stdout.write(`${JSON.stringify(requestPeerReview({ userId, slug }))}\n`);
