// The patch emitter (issue 4). Entry point: PatchBuilder.
