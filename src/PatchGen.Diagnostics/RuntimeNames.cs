namespace PatchGen.Diagnostics;

/// <summary>
/// The names by which the other stages find the runtime in metadata, defined once: the
/// instrumenter references the runtime assembly, the emitter writes the runtime's attributes into
/// patches, the diff engine, the inspector and the patch directory read them back, and the code fix
/// writes calls to <c>ShadowVariables</c>. They cannot use <c>typeof</c>: the analyzer and the
/// netstandard2.0 stages do not reference the runtime. <c>tests/PatchGen.Runtime.Tests/RuntimeNamesTests</c>
/// checks each against the runtime's real types. The names of the patch-site format are in
/// <see cref="PatchSiteFormat"/>.
/// </summary>
public static class RuntimeNames
{
    /// <summary>The runtime's assembly name (and file name without <c>.dll</c>).</summary>
    public const string AssemblyName = "PatchGen.Runtime";

    /// <summary>The namespace of the runtime's public types.</summary>
    public const string Namespace = "PatchGen.Runtime";

    // Simple names, for writing a reference (namespace + name) or matching one in a metadata reader.
    public const string PatchableAssemblyAttributeName = "PatchableAssemblyAttribute";
    public const string PatchAttributeName = "PatchAttribute";
    public const string PatchBaseAttributeName = "PatchBaseAttribute";
    public const string ReplacesAttributeName = "ReplacesAttribute";
    public const string OriginalAttributeName = "OriginalAttribute";
    public const string PatchCallbackAttributeName = "PatchCallbackAttribute";
    public const string PatchCallbackKindName = "PatchCallbackKind";
    public const string PatchSystemStateAttributeName = "PatchSystemStateAttribute";
    public const string ShadowVariablesName = "ShadowVariables";

    /// <summary>
    /// <c>[assembly: AssemblyMetadata("PatchGen.AddedStatic", "F:Shop.Cart._count")]</c>: a static field the fix
    /// added to a base type, which the patch keeps in its holder (extended model, PG3011), or an instance field
    /// it keeps in shadow variables (PG3012). The runtime refuses to stack a second patch that keeps its own copy
    /// of the same field on it (PG4003).
    /// </summary>
    public const string AddedStaticMetadataKey = "PatchGen.AddedStatic";

    // Full names, for matching a Cecil or Roslyn type by FullName.
    public const string PatchableAssemblyAttribute = Namespace + "." + PatchableAssemblyAttributeName;
    public const string PatchAttribute = Namespace + "." + PatchAttributeName;
    public const string PatchBaseAttribute = Namespace + "." + PatchBaseAttributeName;
    public const string ReplacesAttribute = Namespace + "." + ReplacesAttributeName;
    public const string OriginalAttribute = Namespace + "." + OriginalAttributeName;
    public const string PatchCallbackAttribute = Namespace + "." + PatchCallbackAttributeName;
    public const string PatchSystemStateAttribute = Namespace + "." + PatchSystemStateAttributeName;
    public const string ShadowVariables = Namespace + "." + ShadowVariablesName;
}
