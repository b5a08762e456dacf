import { removeTempDirs } from './helpers/tempDir';

// Every test file leaves the system temp dir as it found it.
afterAll(() => removeTempDirs());
