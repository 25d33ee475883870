using Mono.Cecil;
using PatchGen.Baseline;
using PatchGen.Diagnostics;

namespace PatchGen.Diff;

/// <summary>
/// State shared by the comparers during one diff: both builds, their source locators and closure
/// renderers, and what has been found so far. Every finding goes through <see cref="Report"/> or
/// <see cref="Change"/>, which never see a compiler-generated name.
/// </summary>
internal sealed class DiffContext
{
    private readonly List<PatchDiagnostic> _diagnostics = new();
    private readonly HashSet<MemberChange> _changes = new();

    public DiffContext(AssemblyInput @base, AssemblyInput @new, SourcePathOptions? paths = null, PatchModel model = PatchModel.Simple)
    {
        Model = model;
        Base = @base;
        New = @new;
        BaseSource = new SourceLocator(@base, paths);
        NewSource = new SourceLocator(@new, paths);
        BaseRenderer = new ClosureRenderer(@base.Module);
        NewRenderer = new ClosureRenderer(@new.Module);
        UnchangedBodies = new Closures.UnchangedBodies(BaseRenderer, NewRenderer);
        if (model == PatchModel.Extended)
            NewRenderer.AddedStatics = new StaticInitialization.AddedStaticFields(@base.Module);
    }

    /// <summary>Which changes are accepted (docs/diff-rules.md#models).</summary>
    public PatchModel Model { get; }

    public AssemblyInput Base { get; }

    public AssemblyInput New { get; }

    public SourceLocator BaseSource { get; }

    public SourceLocator NewSource { get; }

    public ClosureRenderer BaseRenderer { get; }

    public ClosureRenderer NewRenderer { get; }

    /// <summary>Settles most unchanged methods without rendering them (see <see cref="MethodBodyComparer"/>).</summary>
    public Closures.UnchangedBodies UnchangedBodies { get; }

    /// <summary>The same check run ahead on another thread while the rules compare the builds (simple model); else null.</summary>
    public Closures.SameCodeAhead? SameCodeAhead { get; set; }

    /// <summary>Methods whose code changed, with their closures in both builds (for the patch emitter).</summary>
    public List<ChangedMethod> ChangedMethods { get; } = new();

    public IReadOnlyList<PatchDiagnostic> Diagnostics => _diagnostics;

    /// <summary>
    /// The site number of each method of an instrumented base, read before the instrumentation is
    /// undone in memory (the patch emitter records them); empty for a plain base.
    /// </summary>
    public IReadOnlyDictionary<MethodDefinition, int> BaseSites { get; set; } = new Dictionary<MethodDefinition, int>();

    /// <summary>The patch-site format of an instrumented base (docs/patch-sites.md); 0 for a plain base.</summary>
    public int BaseSiteFormat { get; set; }

    /// <summary>Who calls the inline clones of an instrumented base (site format 4); none for a plain base.</summary>
    public InlineCloneCallers BaseInlineClones { get; set; } = InlineCloneCallers.None;

    public IReadOnlyCollection<MemberChange> Changes => _changes;

    /// <summary>Lambdas and local functions replaced in place, under their owners.</summary>
    public List<LambdaReplacement> LambdaReplacements { get; } = new();

    /// <summary>Records a lambda of <paramref name="owner"/> replaced through its own site.</summary>
    public void ReplaceInPlace(string owner, Lambdas.LambdaPair pair, bool ownerReplaced)
    {
        var location = LambdaNames.Locate(this, pair.New);
        LambdaReplacements.Add(new LambdaReplacement(owner, LambdaNames.Describe(this, pair.New), location?.File, location?.Line, ownerReplaced));
    }

    public void Report(DiagnosticDescriptor descriptor, string? member, SourceLocation? location, params object[] args)
        => _diagnostics.Add(PatchDiagnostic.At(descriptor, member, location?.File, location?.Line, args));

    public void Report(PatchDiagnostic diagnostic) => _diagnostics.Add(diagnostic);

    public void Change(string member, ChangeKind kind) => _changes.Add(new MemberChange(member, kind));

    /// <summary>
    /// The ID a member is reported under: its own documentation ID, or for generated members the
    /// user-written member they stand for (a backing field for its property, a captured
    /// primary-constructor parameter or the record clone method for the type).
    /// </summary>
    public static string ReportedId(IMemberDefinition member)
    {
        switch (member)
        {
            case FieldDefinition field:
                if (GeneratedCode.BackingFieldProperty(field.Name) is { } propertyName
                    && field.DeclaringType.Properties.FirstOrDefault(p => p.Name == propertyName) is { } property)
                    return DocumentationId.ForProperty(property);
                if (GeneratedCode.IsGeneratedName(field.Name))
                    return DocumentationId.ForType(field.DeclaringType);
                if (field.DeclaringType.Events.FirstOrDefault(e => e.Name == field.Name) is { } evt)
                    return DocumentationId.ForEvent(evt);
                return DocumentationId.ForField(field);
            case MethodDefinition method when method.Name == GeneratedCode.RecordClone:
                return DocumentationId.ForType(method.DeclaringType);
            default:
                return DocumentationId.For(member);
        }
    }

    /// <summary>The C# name a member is mentioned by in messages (same mapping as <see cref="ReportedId"/>).</summary>
    public static string DisplayName(IMemberDefinition member)
    {
        if (member is FieldDefinition field)
        {
            if (GeneratedCode.BackingFieldProperty(field.Name) is { } property)
                return GeneratedMemberNames.AutoProperty(CSharpName.Type(field.DeclaringType), property);
            if (GeneratedCode.PrimaryConstructorParameter(field.Name) is { } parameter)
                return GeneratedMemberNames.CapturedParameter(parameter, CSharpName.Type(field.DeclaringType));
        }
        if (member is MethodDefinition { Name: GeneratedCode.RecordClone } clone)
            return GeneratedMemberNames.RecordClone(CSharpName.Type(clone.DeclaringType));
        return CSharpName.Of(member);
    }
}

/// <summary>A user method whose code differs, with the generated code it owns in each build.</summary>
/// <param name="Lambdas">Its lambdas matched between the builds: those changed are replaced in place, the owner only if <see cref="Lambdas.LambdaIdentity.OwnerReplaced"/>.</param>
internal sealed record ChangedMethod(MethodDefinition Base, MethodDefinition New, RenderedClosure BaseClosure, RenderedClosure NewClosure, Lambdas.LambdaIdentity Lambdas);
