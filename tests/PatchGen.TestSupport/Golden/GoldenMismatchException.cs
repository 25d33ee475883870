namespace PatchGen.TestSupport.Golden;

/// <summary>What the code under test wrote is not what a golden file expects (or the file is missing).</summary>
public sealed class GoldenMismatchException(string message) : Exception(message);
