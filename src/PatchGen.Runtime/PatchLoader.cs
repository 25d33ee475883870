using System.Reflection;
using System.Runtime.Loader;
using PatchGen.Diagnostics;
using PatchGen.Runtime.Instrumentation;
using PatchGen.Runtime.Signing;

namespace PatchGen.Runtime;

/// <summary>
/// Loads a patch assembly into a fresh collectible context and resolves what it replaces against the
/// loaded base. Every failure is a <see cref="PatchRuntimeException"/> after which the context has been
/// unloaded again: a refused patch leaves nothing behind.
/// </summary>
internal static class PatchLoader
{
    public static LoadedPatch Load(string path)
    {
        byte[] image;
        byte[]? symbols = null;
        try
        {
            image = File.ReadAllBytes(path);
            var pdb = Path.ChangeExtension(path, ".pdb");
            if (File.Exists(pdb))
                symbols = File.ReadAllBytes(pdb);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, path, e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : e.Message);
        }
        return Load(image, symbols, path);
    }

    /// <summary>
    /// Loads <paramref name="image"/>, which the caller must not change any more: its signature is
    /// checked on these very bytes (PG0006) before a load context exists, so a refused patch never
    /// gets as far as the runtime's loader.
    /// </summary>
    public static LoadedPatch Load(byte[] image, byte[]? symbols, string source)
    {
        var signature = TrustedKeys.Authorize(image, source);
        var context = new PatchLoadContext(Path.GetFileNameWithoutExtension(source));
        try
        {
            var loaded = LoadInto(context, image, symbols, source);
            loaded.PublicKeyToken = signature.IsValid ? signature.PublicKeyTokenText : null;
            return loaded;
        }
        catch
        {
            context.Unload();
            throw;
        }
    }

    private static LoadedPatch LoadInto(PatchLoadContext context, byte[] image, byte[]? symbols, string source)
    {
        Assembly assembly;
        try
        {
            using var imageStream = new MemoryStream(image, writable: false);
            using var symbolStream = symbols is null ? null : new MemoryStream(symbols, writable: false);
            assembly = context.LoadFromStream(imageStream, symbolStream);
        }
        catch (BadImageFormatException)
        {
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, "not a managed assembly");
        }

        PatchAttribute? patch;
        try
        {
            patch = assembly.GetCustomAttribute<PatchAttribute>();
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or TypeLoadException)
        {
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, "cannot read its attributes: " + e.Message);
        }
        if (patch is null)
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, "not a patch assembly (it has no PatchGen.Runtime.PatchAttribute)");

        // Every base is resolved, and must be loaded with its MVID, before anything is looked up in any:
        // a patch of several assemblies whose bases are not all there would take effect by halves.
        var targets = FindTargets(patch, assembly, source);
        var registered = targets
            .Select(t => SiteRegistry.For(t) ?? throw new PatchRuntimeException(DiagnosticCatalog.BaseNotPatchable, t.GetName().Name!))
            .ToList();
        // A base with inline clones runs inlined copies of a small method in its callers, which carry no site: only
        // a patch that replaces those callers too keeps the old and the new body apart (docs/patch-format.md).
        var cloned = registered.FirstOrDefault(r => r.FormatVersion >= PatchSiteFormat.InlineClonesVersion);
        if (cloned is not null && patch.FormatVersion < PatchFormat.InlineCloneAware)
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source,
                $"it is in patch format {patch.FormatVersion}, written by a PatchGen that does not replace the callers of inline clones, and base '{cloned.Name}' has them (site format {cloned.FormatVersion}); build the patch again with this PatchGen");
        // A base with outlined bodies has forwarders where its large methods' bodies were: an older diff engine took a
        // forwarder for the method's body, so its patch's [Original] of such a method would be the forwarder.
        var outlined = registered.FirstOrDefault(r => r.FormatVersion >= PatchSiteFormat.Version);
        if (outlined is not null && patch.FormatVersion < PatchFormat.OutlinedBodyAware)
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source,
                $"it is in patch format {patch.FormatVersion}, written by a PatchGen that does not see through outlined bodies, and base '{outlined.Name}' has them (site format {outlined.FormatVersion}); build the patch again with this PatchGen");

        var loaded = new LoadedPatch(patch.Id, source, context, assembly, registered, patch.Cumulative);
        foreach (var state in assembly.GetCustomAttributes<PatchSystemStateAttribute>())
            loaded.SystemStates.Add((state.Id, state.Version));
        foreach (var metadata in assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Where(m => m.Key == RuntimeNames.AddedStaticMetadataKey && m.Value is not null))
            loaded.AddedStatics.Add(metadata.Value!);
        ResolveMembers(loaded, assembly, targets, source);
        if (loaded.Replacements.Count == 0 && !loaded.Cumulative)
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, "the patch replaces no method");
        return loaded;
    }

    /// <summary>
    /// The bases the patch was built for, the <see cref="PatchAttribute"/> target first, then each
    /// <see cref="PatchBaseAttribute"/> (format 2): each loaded in the default context with the recorded
    /// MVID, or the patch is refused (PG0005).
    /// </summary>
    private static List<Assembly> FindTargets(PatchAttribute patch, Assembly assembly, string source)
    {
        if (patch.FormatVersion is < PatchFormat.SingleBase or > PatchFormat.Current)
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"it is in patch format {patch.FormatVersion}, and this runtime reads formats {PatchFormat.SingleBase} to {PatchFormat.Current}");
        IReadOnlyList<PatchBaseAttribute> more;
        try
        {
            more = assembly.GetCustomAttributes<PatchBaseAttribute>().ToList();
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or TypeLoadException)
        {
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, "cannot read its attributes: " + e.Message);
        }
        if (more.Count > 0 && patch.FormatVersion < PatchFormat.MultiBase)
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"it names several bases, but says it is in patch format {patch.FormatVersion}");
        var bindings = more.Select(b => (Name: b.TargetAssembly, Mvid: b.BaseModuleVersionId)).Prepend((Name: patch.TargetAssembly, Mvid: patch.BaseModuleVersionId)).ToList();
        var repeated = bindings.GroupBy(b => b.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"it names '{repeated.Key}' as a base twice");
        return bindings.Select(b => FindTarget(b.Name, b.Mvid, source)).ToList();
    }

    private static Assembly FindTarget(string name, string mvid, string source)
    {
        if (!Guid.TryParse(mvid, out var expected))
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"its base MVID '{mvid}' is not a GUID");
        var candidates = AssemblyLoadContext.Default.Assemblies
            .Where(a => string.Equals(a.GetName().Name, name, StringComparison.Ordinal))
            .ToList();
        if (candidates.Count == 0)
            throw new PatchRuntimeException(DiagnosticCatalog.PatchForOtherBase, source, expected, name, BaseMismatch.NotLoaded);
        return candidates.FirstOrDefault(a => a.ManifestModule.ModuleVersionId == expected)
            ?? throw new PatchRuntimeException(DiagnosticCatalog.PatchForOtherBase, source, expected, name, BaseMismatch.OtherMvid(candidates[0].ManifestModule.ModuleVersionId));
    }

    private static void ResolveMembers(LoadedPatch loaded, Assembly assembly, IReadOnlyList<Assembly> targets, string source)
    {
        // Each base by name, the first also for a [Replaces] or [Original] that names none (format 1).
        var bases = new Dictionary<string, (Assembly Assembly, InstrumentedAssembly Sites)>(StringComparer.Ordinal);
        for (int i = 0; i < targets.Count; i++)
            bases[targets[i].GetName().Name!] = (targets[i], loaded.Targets[i]);
        var indexes = new Dictionary<string, DocumentationIdIndex>(StringComparer.Ordinal);
        string primary = targets[0].GetName().Name!;
        (string Name, DocumentationIdIndex Index, InstrumentedAssembly Sites) BaseOf(string? name, string member)
        {
            name ??= primary;
            if (!bases.TryGetValue(name, out var found))
                throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"it replaces {member} of '{name}', which is not one of its bases");
            if (!indexes.TryGetValue(name, out var index))
                indexes[name] = index = new DocumentationIdIndex(found.Assembly);
            return (name, index, found.Sites);
        }
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, "a type of the patch cannot be loaded: " + e.LoaderExceptions.FirstOrDefault()?.Message);
        }
        // Keyed by base and member: two bases may each have a method of one documentation ID.
        var originals = new Dictionary<(string, string), MethodInfo>();
        var replacedIn = new Dictionary<PatchSite, string>();
        foreach (var type in types.OrderBy(t => t.MetadataToken))
        {
            foreach (var method in type.GetMethods(all).OrderBy(m => m.MetadataToken))
            {
                var replaces = method.GetCustomAttribute<ReplacesAttribute>();
                if (replaces is not null)
                {
                    var of = BaseOf(replaces.Assembly, replaces.DocumentationId);
                    var (site, original) = ResolveSite(of.Sites, replaces.DocumentationId, replaces.Site, of.Index, source);
                    CheckSignature(method, original, replaces.DocumentationId, "replacement", source);
                    if (loaded.Replacements.Any(r => r.Site == site))
                        throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"{replaces.DocumentationId} is replaced twice");
                    loaded.Replacements.Add((site, new SiteEntry(loaded, method, replaces.DocumentationId, isOriginal: false)));
                    replacedIn[site] = of.Name;
                }
                var originalOf = method.GetCustomAttribute<OriginalAttribute>();
                if (originalOf is not null && !originals.TryAdd((BaseOf(originalOf.Assembly, originalOf.DocumentationId).Name, originalOf.DocumentationId), method))
                    throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"it carries two originals of {originalOf.DocumentationId}");
                var callback = method.GetCustomAttribute<PatchCallbackAttribute>();
                if (callback is not null)
                {
                    if (!method.IsStatic || method.GetParameters().Length != 0 || method.ReturnType != typeof(void) || method.IsGenericMethodDefinition)
                        throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"callback {type.FullName}.{method.Name} must be static, parameterless and return void");
                    if (!loaded.Callbacks.TryAdd(callback.Kind, method))
                        throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"more than one {callback.Kind} callback");
                }
            }
        }
        // Threads still in the generation before the patch run the original body of what it replaces:
        // every replacement needs its copy of the original (docs/patch-sites.md).
        foreach (var (site, entry) in loaded.Replacements)
        {
            if (!originals.Remove((replacedIn[site], entry.Member), out var original))
                throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"it replaces {entry.Member} but carries no copy of its original body ([Original])");
            CheckSignature(original, site.Method, entry.Member, "copy of the original", source);
            loaded.Originals[site] = new SiteEntry(loaded, original, entry.Member, isOriginal: true);
        }
        if (originals.Count > 0)
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"it carries the original of {originals.Keys.First().Item2}, which it does not replace");
        // Compile now what can be compiled without an instantiation: a replacement that references a
        // member the base does not have fails here, before anything changed, not at its first call.
        foreach (var entry in loaded.Replacements.Select(r => r.Entry).Concat(loaded.Originals.Values))
            Prepare(entry, source);
    }

    private static (PatchSite Site, MethodBase Original) ResolveSite(InstrumentedAssembly target, string id, int expectedSite, DocumentationIdIndex index, string source)
    {
        // Methods of file-local types of one name share an ID: the site number tells them apart.
        var candidates = index.FindAll(id).ToList();
        var original = (candidates.Count > 1 && expectedSite >= 0 ? candidates.FirstOrDefault(c => target.SiteOf(c)?.Number == expectedSite) : null)
            ?? candidates.FirstOrDefault()
            ?? throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"it replaces {id}, which the loaded base does not have ({target.Name})");
        var site = target.SiteOf(original)
            ?? throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"it replaces {id}, which has no patch site in the loaded base");
        if (expectedSite >= 0 && expectedSite != site.Number)
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"it replaces {id} as site {expectedSite}, but that method is site {site.Number} in the loaded base");
        return (site, original);
    }

    /// <summary>
    /// A replacement (or copy of the original) is static, takes the original's <c>this</c> (by reference
    /// for a struct) and then its parameters, returns what it returns, and has the declaring type's generic
    /// parameters followed by the method's: exactly, since the dispatch stubs call it with those types.
    /// </summary>
    private static void CheckSignature(MethodInfo candidate, MethodBase original, string id, string what, string source)
    {
        string? problem = SignatureShape.Mismatch(candidate, original);
        if (problem is not null)
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"the {what} of {id} does not match its signature: {problem}");
    }

    private static void Prepare(SiteEntry entry, string source)
    {
        try
        {
            if (!entry.Method.ContainsGenericParameters)
                System.Runtime.CompilerServices.RuntimeHelpers.PrepareMethod(entry.Method.MethodHandle);
            else if (SharedInstantiation(entry.Method) is { } instantiation)
                System.Runtime.CompilerServices.RuntimeHelpers.PrepareMethod(entry.Method.MethodHandle, instantiation);
        }
        catch (Exception e) when (e is MissingMemberException or TypeLoadException or BadImageFormatException or FileNotFoundException or FileLoadException or MemberAccessException or InvalidProgramException)
        {
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source,
                $"the {(entry.IsOriginal ? "copy of the original" : "replacement")} of {entry.Member} cannot be compiled against the running base ({e.GetType().Name}: {e.Message})");
        }
    }

    /// <summary>
    /// Type arguments that make the JIT compile a generic patch method's shared code: a reference type for
    /// every type parameter (object, or the parameter's class or interface constraint) gives the canonical
    /// code every reference-type instantiation runs, and compiling it resolves every member its body
    /// references, so a member the base lacks fails here. Null when a parameter admits no reference type
    /// (a <c>struct</c> constraint): the body is then checked at its first call, as before, a limit that
    /// docs/patch-sites.md names.
    /// </summary>
    private static RuntimeTypeHandle[]? SharedInstantiation(MethodInfo method)
    {
        var parameters = method.GetGenericArguments();
        var arguments = new Type[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            var constraints = parameters[i].GetGenericParameterConstraints();
            var choice = new[] { typeof(object) }
                .Concat(constraints.Where(c => !c.ContainsGenericParameters && c.IsClass))
                .Concat(constraints.Where(c => !c.ContainsGenericParameters && c.IsInterface))
                .FirstOrDefault(c => Satisfies(parameters[i], c, constraints));
            if (choice is null)
                return null;
            arguments[i] = choice;
        }
        try
        {
            method.MakeGenericMethod(arguments); // validates the constraints together
        }
        catch (ArgumentException)
        {
            return null;
        }
        return arguments.Select(a => a.TypeHandle).ToArray();
    }

    private static bool Satisfies(Type parameter, Type argument, Type[] constraints)
    {
        var special = parameter.GenericParameterAttributes;
        if ((special & GenericParameterAttributes.NotNullableValueTypeConstraint) != 0)
            return false;
        if ((special & GenericParameterAttributes.DefaultConstructorConstraint) != 0 && (argument.IsAbstract || argument.GetConstructor(Type.EmptyTypes) is null))
            return false;
        return constraints.All(c => c.ContainsGenericParameters || c.IsAssignableFrom(argument));
    }
}
