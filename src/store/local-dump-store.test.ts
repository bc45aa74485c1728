import { runCandidateSuite } from "./testing/candidate-suite.js";
import { runDumpStoreSuite } from "./testing/dump-store-suite.js";
import { useTempDirs } from "./testing/temp-dirs.js";

const { localStore } = useTempDirs();

runDumpStoreSuite("local folder", localStore);
runCandidateSuite("local folder", localStore);
