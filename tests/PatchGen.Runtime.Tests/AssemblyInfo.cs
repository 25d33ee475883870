// One test at a time, also for the classes whose tests drive engines of their own: every engine's
// certification samples every thread of the process, so one test's busy threads (deep in a compiler,
// or dispatching through patched functions) hold the transitions of the others, and rounds are taken one
// at a time in the process (docs/consistency-model.md, "One engine per site"). Side by side, these tests
// were slower than one after another on two cores, and missed their 20 s bounds under load.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
