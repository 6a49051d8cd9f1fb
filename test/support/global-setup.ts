// Nothing shared yet beyond what each test file starts itself; the e2e suite adds its renderer
// build here so it happens once per run.
export default async function setup(): Promise<void> {}
