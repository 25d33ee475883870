namespace System.Runtime.CompilerServices;

/// <summary>
/// netstandard2.0 lacks the marker type that init accessors (and so records) need; the compiler
/// finds it by name. Internal, so it never collides with the framework's in consumers.
/// </summary>
internal static class IsExternalInit
{
}
