// Loaded into the built bin by limits.test.ts (`node --import`): when the process exits, it writes its peak
// resident set size (KiB, worker threads included) to the file named by FEDFORGE_MAX_RSS_FILE.
import { writeFileSync } from 'node:fs'

const file = process.env.FEDFORGE_MAX_RSS_FILE
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)))
