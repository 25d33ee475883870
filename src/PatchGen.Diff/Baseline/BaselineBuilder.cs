using System.Globalization;
using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Diff.Shape;

namespace PatchGen.Diff.Baseline;

/// <summary>
/// Describes a build's user-written code as the diff engine sees it (the same types and members,
/// the same reported IDs, the same closure hashes), for the baseline manifest. The input must
/// already be seen through any instrumentation (<see cref="InstrumentationView"/>).
/// </summary>
internal static class BaselineBuilder
{
    private const string DecimalConstant = "System.Runtime.CompilerServices.DecimalConstantAttribute";
    private const string ThreadStatic = "System.ThreadStaticAttribute";
    private const string LibraryImport = "System.Runtime.InteropServices.LibraryImportAttribute";

    public static BaselineManifest Build(AssemblyInput input, Guid mvid, PdbSources sources)
    {
        var manifest = new BaselineManifest(input.Name, mvid);
        manifest.MissingSources.AddRange(sources.HasPdb ? sources.Missing : new[] { "(no portable PDB)" });
        manifest.SourcesComplete = sources.HasPdb && sources.Missing.Count == 0;
        var staticInit = SourceFingerprints.StaticInitializationByType(sources.Trees);
        var stubs = SourceFingerprints.LibraryImportStubsByType(sources.Trees);
        var available = new HashSet<string>(sources.Trees.Select(t => t.FilePath), StringComparer.Ordinal);
        var renderer = new ClosureRenderer(input.Module);

        foreach (var type in input.Module.GetTypes().Where(GeneratedCode.IsUserType))
        {
            var t = DescribeType(type);
            t.StaticInitialization = StaticInitialization(type, t.Id, manifest.SourcesComplete, staticInit, available);
            foreach (var field in type.Fields)
            {
                if (field == TypeFacts.EnumStorage(type))
                    continue;
                t.Fields.Add(DescribeField(type, field));
            }
            foreach (var method in type.Methods)
            {
                // The static constructor is compared as static initialization, from source (see SourceFingerprints).
                if (!GeneratedCode.IsUserMethod(method) || (method.IsConstructor && method.IsStatic))
                    continue;
                var m = DescribeMethod(method, renderer);
                if (CecilSignatures.HasAttribute(method, LibraryImport))
                    m.StubFingerprint = stubs.TryGetValue((t.Id, method.Name), out var stub) ? stub : BaselineType.Unknown;
                t.Methods.Add(m);
            }
            foreach (var property in type.Properties)
            {
                var (refKind, propertyType) = CecilSignatures.Return(property.PropertyType, property);
                var accessors = new[] { property.GetMethod, property.SetMethod }.Concat(property.OtherMethods).OfType<MethodDefinition>().ToList();
                t.Properties.Add(Member(DocumentationId.ForProperty(property), property.Name, SignatureText.Member(!property.HasThis, refKind, propertyType),
                    accessors, CSharpName.Of(property)));
            }
            foreach (var evt in type.Events)
            {
                var accessors = new[] { evt.AddMethod, evt.RemoveMethod, evt.InvokeMethod }.Concat(evt.OtherMethods).OfType<MethodDefinition>().ToList();
                bool isStatic = (evt.AddMethod ?? evt.RemoveMethod)?.IsStatic ?? false;
                t.Events.Add(Member(DocumentationId.ForEvent(evt), evt.Name, SignatureText.Member(isStatic, "", CecilSignatures.Type(evt.EventType)),
                    accessors, CSharpName.Of(evt)));
            }
            manifest.Types.Add(t);
        }
        manifest.Types.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return manifest;
    }

    private static BaselineType DescribeType(TypeDefinition type)
    {
        var t = new BaselineType
        {
            Id = DocumentationId.ForType(type),
            MetadataName = FileLocalNames.Stable(type.FullName).Replace('/', '+'),
            Namespace = type.Namespace,
            DeclaringTypeId = type.DeclaringType is null ? "" : DocumentationId.ForType(type.DeclaringType),
            Kind = TypeFacts.Kind(type),
            Modifiers = SignatureText.TypeModifiers(type.IsAbstract, type.IsSealed),
            BaseType = type.BaseType is null ? "" : CecilSignatures.Type(type.BaseType),
            LayoutKind = type.IsInterface ? "auto" : type.IsExplicitLayout ? "explicit" : type.IsSequentialLayout ? "sequential" : "auto",
            Pack = type.PackingSize > 0 ? type.PackingSize : 0,
            Size = type.ClassSize > 0 ? type.ClassSize : 0,
            InlineArrayLength = TypeFacts.InlineArrayLength(type),
            EnumUnderlyingType = TypeFacts.EnumStorage(type) is { } storage ? CecilSignatures.Type(storage.FieldType) : "",
            DisplayName = CSharpName.Type(type),
        };
        t.Interfaces.AddRange(type.Interfaces.Select(i => CecilSignatures.Type(i.InterfaceType)).Distinct().OrderBy(s => s, StringComparer.Ordinal));
        // A nested type repeats its enclosing types' parameters in metadata; C# declares only its own.
        int inherited = type.DeclaringType?.GenericParameters.Count ?? 0;
        t.GenericParameters.AddRange(type.GenericParameters.Skip(inherited).Select(CecilSignatures.GenericParameter));
        return t;
    }

    /// <summary>
    /// The fingerprint from source when the source of the type's static initialization was read;
    /// a type without a static constructor has none whatever its sources say; otherwise unknown.
    /// </summary>
    private static string StaticInitialization(TypeDefinition type, string id, bool sourcesComplete, Dictionary<string, string> fromSource, HashSet<string> available)
    {
        var cctor = type.Methods.FirstOrDefault(m => m.IsConstructor && m.IsStatic && GeneratedCode.IsUserMethod(m));
        if (fromSource.TryGetValue(id, out var fingerprint))
        {
            if (sourcesComplete || cctor is null)
                return fingerprint;
            var documents = cctor.DebugInformation.HasSequencePoints
                ? cctor.DebugInformation.SequencePoints.Select(p => p.Document.Url).Distinct().ToList()
                : new List<string>();
            return documents.Count > 0 && documents.All(available.Contains) ? fingerprint : BaselineType.Unknown;
        }
        // Not declared in any source read: compiler-made (the Program of top-level statements), or in a missing document.
        return sourcesComplete || cctor is null ? BaselineType.None : BaselineType.Unknown;
    }

    private static BaselineField DescribeField(TypeDefinition type, FieldDefinition field)
    {
        string constant = "", display = "";
        bool isDecimal = field.CustomAttributes.Any(a => a.AttributeType.FullName == DecimalConstant);
        if (field.IsLiteral && field.HasConstant)
        {
            (constant, display) = (ConstantText.Of(field.Constant), ConstantText.Display(field.Constant));
        }
        else if (isDecimal && DecimalValue(field) is { } value)
        {
            (constant, display) = (ConstantText.Of(value), ConstantText.Display(value));
        }
        return new BaselineField
        {
            Name = field.Name,
            ReportedId = DiffContext.ReportedId(field),
            Type = TypeFacts.FixedBuffer(field) is { } buffer ? SignatureText.FixedBuffer(CecilSignatures.Type(buffer.Element), buffer.Length) : CecilSignatures.Type(field.FieldType),
            Flags = SignatureText.FieldFlags(field.IsStatic, field.IsInitOnly, field.IsLiteral, CecilSignatures.IsVolatile(field),
                CecilSignatures.HasAttribute(field, ThreadStatic), isDecimal),
            Constant = constant,
            ConstantDisplay = display,
            Marshal = field.HasMarshalInfo ? ((int)field.MarshalInfo.NativeType).ToString(CultureInfo.InvariantCulture) : "",
            Offset = type.IsExplicitLayout && !field.IsStatic ? field.Offset : -1,
            DisplayName = DiffContext.DisplayName(field),
        };
    }

    private static BaselineMethod DescribeMethod(MethodDefinition method, ClosureRenderer renderer)
    {
        var m = new BaselineMethod
        {
            Id = DocumentationId.ForMethod(method),
            Name = method.Name,
            Signature = CecilSignatures.Method(method),
            Dispatch = CecilSignatures.Dispatch(method),
            NoBody = CecilSignatures.NoBody(method),
            BodyHash = method.HasBody ? renderer.Render(method).HashHex : "",
            IsAutoAccessor = PatchGen.Cecil.Methods.AutoPropertyAccessor.Is(method),
            DisplayName = DiffContext.DisplayName(method),
        };
        m.GenericParameters.AddRange(method.GenericParameters.Select(CecilSignatures.GenericParameter));
        foreach (var parameter in method.Parameters)
        {
            m.Defaults.Add(parameter.HasConstant ? ConstantText.Of(parameter.Constant) : "");
            m.DefaultDisplays.Add(parameter.HasConstant ? ConstantText.Display(parameter.Constant) : "none");
        }
        return m;
    }

    private static BaselineProperty Member(string id, string name, string signature, List<MethodDefinition> accessors, string display)
    {
        var p = new BaselineProperty { Id = id, Name = name, Signature = signature, IsVirtual = accessors.Any(a => a.IsVirtual), DisplayName = display };
        p.Accessors.AddRange(accessors.Select(DocumentationId.ForMethod));
        return p;
    }

    /// <summary>A <c>const decimal</c>'s value, from its DecimalConstant attribute.</summary>
    private static decimal? DecimalValue(FieldDefinition field)
    {
        var attribute = field.CustomAttributes.FirstOrDefault(a => a.AttributeType.FullName == DecimalConstant);
        if (attribute is null || attribute.ConstructorArguments.Count != 5)
            return null;
        try
        {
            var args = attribute.ConstructorArguments.Select(a => Convert.ToInt64(a.Value, CultureInfo.InvariantCulture)).ToArray();
            return new decimal((int)(uint)args[4], (int)(uint)args[3], (int)(uint)args[2], args[1] != 0, (byte)args[0]);
        }
        catch (Exception e) when (e is InvalidCastException or OverflowException or ArgumentException)
        {
            return null;
        }
    }
}
