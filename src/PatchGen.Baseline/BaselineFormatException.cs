using System;

namespace PatchGen.Baseline;

/// <summary>A manifest that is not in the format of docs/baseline-manifest.md; the message names the line.</summary>
internal sealed class BaselineFormatException : Exception
{
    public BaselineFormatException(string message)
        : base(message)
    {
    }
}
