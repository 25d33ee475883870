// Test classes run in parallel only when each test drives a patch engine of its own and nothing of the
// runtime that is process-wide (docs/consistency-model.md, "One engine per site"); every other class is in
// a collection that runs alone, after the parallel ones (RunsAlone, ObservationCollection).
// TestIsolationTests checks that this holds for every class.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass, DisableTestParallelization = false)]
