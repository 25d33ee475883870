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

        var target = FindTarget(patch, source);
        var registered = SiteRegistry.For(target)
            ?? throw new PatchRuntimeException(DiagnosticCatalog.BaseNotPatchable, target.GetName().Name!);
        var patchable = target.GetCustomAttribute<PatchableAssemblyAttribute>();
        if (patchable is null || patchable.FormatVersion != PatchableAssemblyAttribute.CurrentFormatVersion)
            throw new PatchRuntimeException(DiagnosticCatalog.BaseNotPatchable, target.GetName().Name!);

        var loaded = new LoadedPatch(patch.Id, source, context, assembly, registered, patch.Cumulative);
        foreach (var state in assembly.GetCustomAttributes<PatchSystemStateAttribute>())
            loaded.SystemStates.Add((state.Id, state.Version));
        ResolveMembers(loaded, assembly, target, source);
        if (loaded.Replacements.Count == 0 && !loaded.Cumulative)
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, "the patch replaces no method");
        return loaded;
    }

    /// <summary>The base the patch was built for: loaded in the default context, with the recorded MVID (PG0005).</summary>
    private static Assembly FindTarget(PatchAttribute patch, string source)
    {
        var candidates = AssemblyLoadContext.Default.Assemblies
            .Where(a => string.Equals(a.GetName().Name, patch.TargetAssembly, StringComparison.Ordinal))
            .ToList();
        if (candidates.Count == 0)
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"the assembly it patches, '{patch.TargetAssembly}', is not loaded in this process");
        if (!Guid.TryParse(patch.BaseModuleVersionId, out var expected))
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"its base MVID '{patch.BaseModuleVersionId}' is not a GUID");
        var match = candidates.FirstOrDefault(a => a.ManifestModule.ModuleVersionId == expected);
        if (match is null)
            throw new PatchRuntimeException(DiagnosticCatalog.PatchForOtherBase, source, expected, patch.TargetAssembly, candidates[0].ManifestModule.ModuleVersionId);
        return match;
    }

    private static void ResolveMembers(LoadedPatch loaded, Assembly assembly, Assembly target, string source)
    {
        var index = new DocumentationIdIndex(target);
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
        var seen = new Dictionary<int, string>();
        foreach (var type in types.OrderBy(t => t.MetadataToken))
        {
            foreach (var method in type.GetMethods(all).OrderBy(m => m.MetadataToken))
            {
                var replaces = method.GetCustomAttribute<ReplacesAttribute>();
                if (replaces is not null)
                {
                    var (site, entry) = Resolve(loaded, method, replaces, index, source);
                    if (!seen.TryAdd(site.Key, method.Name))
                        throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"{replaces.DocumentationId} is replaced twice");
                    loaded.Replacements.Add((site, entry));
                }
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
    }

    private static (PatchSite Site, SiteEntry Entry) Resolve(LoadedPatch loaded, MethodInfo replacement, ReplacesAttribute replaces, DocumentationIdIndex index, string source)
    {
        var id = replaces.DocumentationId;
        var original = index.Find(id)
            ?? throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"it replaces {id}, which the loaded base does not have");
        var siteAttribute = original.GetCustomAttribute<PatchSiteAttribute>()
            ?? throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"it replaces {id}, which has no patch site in the loaded base");
        if (replaces.Site >= 0 && replaces.Site != siteAttribute.Site)
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"it replaces {id} as site {replaces.Site}, but that method is site {siteAttribute.Site} in the loaded base");
        if (!replacement.IsStatic)
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"the replacement of {id} must be static");
        if (!loaded.Target.HasSlot(siteAttribute.Site))
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"it replaces {id}, whose site {siteAttribute.Site} is missing from the base's site table");
        var site = loaded.Target.GetOrCreateSite(siteAttribute.Site);
        var delegateType = siteAttribute.DispatchDelegate;
        if (delegateType.IsGenericTypeDefinition)
        {
            int arity = delegateType.GetGenericArguments().Length;
            if (!replacement.IsGenericMethodDefinition || replacement.GetGenericArguments().Length != arity
                || replacement.GetParameters().Length != delegateType.GetMethod("Invoke")!.GetParameters().Length)
                throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"the replacement of {id} does not match its signature (a generic replacement takes {arity} type parameters: the declaring type's, then the method's)");
            return (site, SiteEntry.ForGenericReplacement(loaded, replacement, id));
        }
        Delegate implementation;
        try
        {
            implementation = replacement.CreateDelegate(delegateType);
        }
        catch (ArgumentException)
        {
            throw new PatchRuntimeException(DiagnosticCatalog.InputUnreadable, source, $"the replacement of {id} does not match its signature (this, then the original parameters)");
        }
        return (site, SiteEntry.ForReplacement(loaded, implementation, id));
    }
}
