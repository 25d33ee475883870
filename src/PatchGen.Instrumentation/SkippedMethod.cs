namespace PatchGen.Instrumentation;

/// <summary>A method that got no patch site, and why (docs/patch-sites.md, "Which methods get a site").</summary>
internal sealed record SkippedMethod(string Method, string Reason);
