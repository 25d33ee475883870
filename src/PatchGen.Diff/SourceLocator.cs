using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Baseline;
using PatchGen.Diagnostics;

namespace PatchGen.Diff;

/// <summary>
/// Finds where in source a member or a changed instruction is. Method code is located by the
/// sequence points of the portable PDB. Declarations without code (fields, types, properties,
/// events, abstract methods) have no sequence points: their source files, named by the PDB, are
/// parsed with Roslyn and the declaration is looked up by name.
/// </summary>
internal sealed class SourceLocator
{
    private const int HiddenLine = 0xFEEFEE;

    private readonly AssemblyInput _input;
    private readonly SourcePathOptions _paths;
    // The sources of the build's PDB, parsed on another thread while the builds were read (null when the build was
    // read without, or for other path options): a file is parsed here only if it was not parsed there as it is now.
    private readonly SourcesParsedAhead? _parsedAhead;
    private readonly Dictionary<string, string> _displayPaths = new(StringComparer.Ordinal);
    private Dictionary<string, (string File, int Line)>? _declarations;
    private readonly Dictionary<MethodDefinition, (int[] Offsets, bool[] Hidden)> _hiddenRanges = new();
    // Of each parsed source, its text and the declarations that can enclose code; not the syntax
    // tree, which for a large generated file is tens of megabytes kept to the end of the diff.
    private readonly Dictionary<string, SourceText> _texts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeclarationRegions> _regions = new(StringComparer.Ordinal);
    private Dictionary<string, (string File, int Line)>? _localFunctions;

    /// <param name="input">The build whose code and declarations are located.</param>
    /// <param name="paths">How files are read and named (full paths for MSBuild, the compiler's path map).</param>
    public SourceLocator(AssemblyInput input, SourcePathOptions? paths = null)
    {
        _input = input;
        _paths = paths ?? SourcePathOptions.Default;
        _parsedAhead = input.SourcesParsedAhead is { } ahead && ReferenceEquals(ahead.Paths, _paths) ? ahead : null;
    }

    /// <summary>The first line of a method's code.</summary>
    public SourceLocation? ForMethod(MethodDefinition method)
    {
        if (!_input.HasSymbols)
            return null;
        var point = method.DebugInformation.HasSequencePoints
            ? method.DebugInformation.SequencePoints.FirstOrDefault(p => !p.IsHidden)
            : null;
        if (point != null)
            return new SourceLocation(DisplayPath(point.Document.Url), point.StartLine);
        return ForDeclaration(method);
    }

    /// <summary>
    /// The line that declares a method (its name), for what is about the method rather than its
    /// code: its signature, dispatch, attributes, or that it was added or removed. The method's own
    /// sequence points tell overloads apart: the declaration is the one that contains them. An
    /// implicit constructor (only field initializers) has no declaration: its first initializer is.
    /// </summary>
    public SourceLocation? ForSignature(MethodDefinition method)
    {
        if (!_input.HasSymbols)
            return null;
        if (!method.DebugInformation.HasSequencePoints)
            return ForDeclaration(method);
        _declarations ??= IndexDeclarations();
        foreach (var point in method.DebugInformation.SequencePoints)
        {
            if (point.IsHidden || point.StartLine == HiddenLine || !_texts.TryGetValue(point.Document.Url, out var text))
                continue;
            if (point.StartLine < 1 || point.StartLine > text.Lines.Count)
                continue;
            var line = text.Lines[point.StartLine - 1];
            var position = Math.Min(line.Start + Math.Max(0, point.StartColumn - 1), Math.Max(line.Start, line.End - 1));
            if (_regions[point.Document.Url].DeclarationLineAt(position) is { } declared)
                return new SourceLocation(DisplayPath(point.Document.Url), declared);
        }
        // An implicit static constructor: its first initializer that is not a const decimal's.
        if (method.IsStatic && method.IsConstructor && method.HasBody
            && GeneratedCode.DecimalConstantInitialization(method.Body) is { } constants)
        {
            var offsets = constants.Select(i => i.Offset).ToHashSet();
            var point = method.DebugInformation.SequencePoints.FirstOrDefault(p => !p.IsHidden && !offsets.Contains(p.Offset));
            if (point != null)
                return new SourceLocation(DisplayPath(point.Document.Url), point.StartLine);
        }
        return ForMethod(method);
    }

    /// <summary>
    /// The name of a method-like declaration, for a node that is one; none for any other member (code
    /// there is an initializer that a constructor runs, or a primary constructor's arguments). False
    /// for a node that is neither.
    /// </summary>
    private static bool IsDeclaration(SyntaxNode node, out SyntaxToken? name)
    {
        name = node switch
        {
            AccessorDeclarationSyntax accessor => accessor.Keyword,
            ArrowExpressionClauseSyntax { Parent: PropertyDeclarationSyntax property } => property.Identifier,
            ArrowExpressionClauseSyntax { Parent: IndexerDeclarationSyntax indexer } => indexer.ThisKeyword,
            MethodDeclarationSyntax method => method.Identifier,
            ConstructorDeclarationSyntax constructor => constructor.Identifier,
            DestructorDeclarationSyntax destructor => destructor.Identifier,
            OperatorDeclarationSyntax op => op.OperatorToken,
            ConversionOperatorDeclarationSyntax conversion => conversion.OperatorKeyword,
            _ => null,
        };
        return name != null || node is MemberDeclarationSyntax;
    }

    /// <summary>
    /// The declarations of one source file that code can be in (<see cref="IsDeclaration"/>: members,
    /// accessors, expression bodies of properties and indexers), by full span, nested as in the tree.
    /// The declaration of a position is the innermost one whose full span holds it: the first
    /// declaration among the ancestors of the token there (tokens' full spans, trivia included,
    /// partition the text, so a node is an ancestor of that token exactly when its full span holds the
    /// position). None is inside a member body, so the tree is walked only down to members.
    /// </summary>
    internal sealed class DeclarationRegions
    {
        // Name: the position of the method-like declaration's name, or -1 for another member.
        private readonly List<(int Start, int End, int Parent, int Name)> _regions = new();
        private readonly SourceText _text;

        public DeclarationRegions(SyntaxNode root, SourceText text)
        {
            _text = text;
            Collect(root, parent: -1);
        }

        /// <summary>Pre-order: sorted by start, an enclosing declaration before those it holds.</summary>
        private void Collect(SyntaxNode node, int parent)
        {
            foreach (var child in node.ChildNodes())
            {
                int self = parent;
                if (IsDeclaration(child, out var name))
                {
                    _regions.Add((child.FullSpan.Start, child.FullSpan.End, parent, name?.SpanStart ?? -1));
                    self = _regions.Count - 1;
                }
                if (child is BaseNamespaceDeclarationSyntax or BaseTypeDeclarationSyntax or BasePropertyDeclarationSyntax or AccessorListSyntax)
                    Collect(child, self);
            }
        }

        /// <summary>The name line of the method-like declaration at a position; null in any other member, or outside all.</summary>
        public int? DeclarationLineAt(int position)
        {
            // The last declaration starting at or before the position: the innermost declaration that
            // holds the position is it or one of its ancestors.
            int low = 0, high = _regions.Count - 1, found = -1;
            while (low <= high)
            {
                int middle = low + (high - low) / 2;
                if (_regions[middle].Start <= position)
                    (found, low) = (middle, middle + 1);
                else
                    high = middle - 1;
            }
            while (found >= 0 && position >= _regions[found].End)
                found = _regions[found].Parent;
            // The line of the name, as Line(token) gives it.
            return found >= 0 && _regions[found].Name >= 0 ? _text.Lines.GetLineFromPosition(_regions[found].Name).LineNumber + 1 : null;
        }
    }

    /// <summary>The statement an instruction belongs to: the nearest visible sequence point at or before it.</summary>
    public SourceLocation? ForInstruction(MethodDefinition method, Instruction? instruction)
    {
        if (!_input.HasSymbols)
            return null;
        if (instruction != null && method.DebugInformation.HasSequencePoints)
        {
            SequencePoint? best = null;
            foreach (var point in method.DebugInformation.SequencePoints)
            {
                if (point.IsHidden || point.StartLine == HiddenLine)
                    continue;
                if (point.Offset <= instruction.Offset && (best == null || point.Offset >= best.Offset))
                    best = point;
            }
            best ??= method.DebugInformation.SequencePoints.FirstOrDefault(p => !p.IsHidden && p.Offset > instruction.Offset);
            if (best != null)
                return new SourceLocation(DisplayPath(best.Document.Url), best.StartLine);
        }
        return ForMethod(method);
    }

    /// <summary>
    /// Whether an instruction is compiler plumbing rather than part of a statement: it follows a
    /// hidden sequence point (the state dispatch and awaiter bookkeeping of <c>MoveNext</c>, the
    /// hidden parts of <c>foreach</c>, <c>using</c> and <c>switch</c>). Without symbols nothing is.
    /// </summary>
    public bool IsHidden(MethodDefinition method, Instruction instruction)
    {
        if (!_input.HasSymbols || !method.DebugInformation.HasSequencePoints)
            return false;
        // Asked for every instruction of a changed closure: index each method's points once.
        if (!_hiddenRanges.TryGetValue(method, out var ranges))
        {
            var points = method.DebugInformation.SequencePoints.OrderBy(p => p.Offset).ToList();
            ranges = (points.Select(p => p.Offset).ToArray(), points.Select(p => p.IsHidden || p.StartLine == HiddenLine).ToArray());
            _hiddenRanges.Add(method, ranges);
        }
        int i = Array.BinarySearch(ranges.Offsets, instruction.Offset);
        if (i < 0)
            i = ~i - 1; // The last point before the instruction.
        else
            while (i + 1 < ranges.Offsets.Length && ranges.Offsets[i + 1] == instruction.Offset)
                i++; // Of several points at one offset, the last one applies.
        return i >= 0 && ranges.Hidden[i];
    }

    /// <summary>Where a line of a rendered closure came from (for "the first difference is here").</summary>
    public SourceLocation? ForClosureLine(RenderedClosure closure, int line)
    {
        if (!_input.HasSymbols || closure.Origins is null || closure.Origins.Length == 0)
            return null;
        line = Math.Clamp(line, 0, closure.Origins.Length - 1);
        // Header lines of generated types carry no method; walk forward to the first line that does.
        for (int i = line; i < closure.Origins.Length; i++)
        {
            var (method, instruction) = closure.Origins[i];
            if (method != null)
                return ForInstruction(method, instruction);
        }
        return ForMethod(closure.Owner);
    }

    /// <summary>The declaration of a type or member, found by parsing the source files the PDB names.</summary>
    public SourceLocation? ForDeclaration(IMemberDefinition member)
    {
        if (!_input.HasSymbols)
            return null;
        _declarations ??= IndexDeclarations();
        var key = member switch
        {
            TypeDefinition type => TypeKey(type),
            FieldDefinition field => TypeKey(field.DeclaringType) + "::" + (GeneratedCode.BackingFieldProperty(field.Name) ?? GeneratedCode.PrimaryConstructorParameter(field.Name) ?? field.Name),
            MethodDefinition method when LocalFunctionKey(method) is { } local => local,
            MethodDefinition method => TypeKey(method.DeclaringType) + "::" + (method.IsConstructor ? (method.IsStatic ? "#cctor" : "#ctor") : method.Name),
            PropertyDefinition property => TypeKey(property.DeclaringType) + "::" + property.Name,
            EventDefinition evt => TypeKey(evt.DeclaringType) + "::" + evt.Name,
            _ => null,
        };
        if (key != null && _declarations.TryGetValue(key, out var found))
            return new SourceLocation(found.File, found.Line);
        if (key != null && IsLocalFunctionKey(key) && (_localFunctions ??= IndexLocalFunctions()).TryGetValue(key, out found))
            return new SourceLocation(found.File, found.Line);
        if (member is not TypeDefinition && member.DeclaringType is { } declaring)
            return ForDeclaration(declaring);
        return null;
    }

    /// <summary>
    /// Paths are made relative to the project (the nearest folder above the file holding a .csproj)
    /// when that project is on this machine; otherwise, or when full paths were asked for, they are
    /// reported as the PDB records them (mapped back to this machine when a path map was given).
    /// </summary>
    private string DisplayPath(string documentPath)
    {
        if (_displayPaths.TryGetValue(documentPath, out var display))
            return display;
        var local = _paths.ToLocal(documentPath);
        display = local;
        try
        {
            if (!_paths.FullPaths && Path.IsPathFullyQualified(local))
            {
                for (var dir = Path.GetDirectoryName(local); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
                {
                    if (Directory.Exists(dir) && Directory.EnumerateFiles(dir, "*.csproj").Any())
                    {
                        display = Path.GetRelativePath(dir, local).Replace('\\', '/');
                        break;
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        _displayPaths[documentPath] = display;
        return display;
    }

    /// <summary>
    /// A local function (<c>&lt;Owner&gt;g__Local|0_0</c>, in its user type or in a closure class) by its
    /// owner and name. Most have sequence points; an extern local function (the private P/Invoke of a
    /// LibraryImport stub) has none, and only its declaration can locate it.
    /// </summary>
    private static string? LocalFunctionKey(MethodDefinition method)
    {
        if (GeneratedCode.LocalFunctionName(method.Name) is not { } local || method.Name.IndexOf('>', StringComparison.Ordinal) is var close && close < 1)
            return null;
        var type = method.DeclaringType;
        while (type != null && !GeneratedCode.IsUserType(type))
            type = type.DeclaringType;
        return type is null ? null : TypeKey(type) + "::" + method.Name[1..close] + "/" + local;
    }

    /// <summary>The shape of a <see cref="LocalFunctionKey"/>: <c>Type::Method/Local</c>, a '/' after the last "::".</summary>
    private static bool IsLocalFunctionKey(string key)
        => key.LastIndexOf("::", StringComparison.Ordinal) is int members and >= 0 && key.IndexOf('/', members) >= 0;

    private static string TypeKey(TypeDefinition type)
    {
        if (type.DeclaringType is { } outer)
            return TypeKey(outer) + "/" + type.Name;
        var name = FileLocalNames.Stable(type.Name);
        return string.IsNullOrEmpty(type.Namespace) ? name : type.Namespace + "." + name;
    }

    private Dictionary<string, (string File, int Line)> IndexDeclarations()
    {
        var index = new Dictionary<string, (string File, int Line)>(StringComparer.Ordinal);
        var documents = new SortedDictionary<string, Document>(StringComparer.Ordinal);
        // A method's points nearly always share one document: the sorted dictionary (ordinal comparisons of long
        // paths) is asked once per run of points with the same document, not once per point.
        Document? previous = null;
        foreach (var type in _input.Module.GetTypes())
        {
            foreach (var method in type.Methods)
            {
                if (!method.DebugInformation.HasSequencePoints)
                    continue;
                foreach (var point in method.DebugInformation.SequencePoints)
                {
                    if (ReferenceEquals(point.Document, previous))
                        continue;
                    previous = point.Document;
                    documents.TryAdd(previous.Url, previous);
                }
            }
        }

        // Files with no method code have no sequence points: take them from the PDB's document list.
        // Its embedded texts are already decoded: decoding Cecil's copy too would only double them.
        var embedded = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var document in _input.SymbolDocuments)
        {
            if (document.EmbeddedText is { } embeddedText)
                embedded.TryAdd(document.Path, embeddedText);
        }
        var texts = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (path, document) in documents)
            texts[path] = embedded.TryGetValue(path, out var embeddedText) ? embeddedText : ReadSource(_paths.ToLocal(path), document);
        foreach (var document in _input.SymbolDocuments)
        {
            if (!texts.ContainsKey(document.Path))
                texts[document.Path] = document.EmbeddedText ?? ReadFile(_paths.ToLocal(document.Path));
        }

        foreach (var (path, text) in texts)
        {
            if (text is null)
                continue;
            // Each file's declarations are a function of its path and text alone, merged here in the order of the
            // paths whichever thread parsed them: the index is the same as if all were parsed here, one by one.
            var parsed = _parsedAhead?.Find(path, text) ?? Parse(path, text, CancellationToken.None);
            _texts[path] = parsed.Text;
            _regions[path] = parsed.Regions;
            var display = DisplayPath(path);
            foreach (var (key, line) in parsed.Declarations)
                index.TryAdd(key, (display, line));
        }
        return index;
    }

    /// <summary>
    /// One source file's declarations: the file parsed with its member bodies blanked (the same lines and declarations,
    /// a fraction of the parsing), its text as it is (which local functions are found in), and its declarations in the
    /// order they are indexed, each by its key (the first of a key is the one indexed). Depends on nothing but its
    /// arguments, so it can run on any thread (<see cref="SourcesParsedAhead"/>).
    /// </summary>
    internal static ParsedSource Parse(string path, string text, CancellationToken cancellation)
    {
        var tree = CSharpSyntaxTree.ParseText(MemberBodyBlanker.Blank(text), DeclarationsOnly, path, cancellationToken: cancellation);
        var root = tree.GetRoot(cancellation);
        var sourceText = SourceText.From(text);
        var declarations = new List<(string Key, int Line)>();
        // Types are declared only in compilation units, namespaces and other types: not descending
        // into member bodies finds the same declarations in the same order, without walking (and
        // allocating a red node for) every expression of every file.
        foreach (var node in root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax))
        {
            switch (node)
            {
                case BaseTypeDeclarationSyntax typeSyntax:
                    AddType(declarations, typeSyntax, typeSyntax.Identifier, TypeArity(typeSyntax));
                    break;
                case DelegateDeclarationSyntax delegateSyntax:
                    AddType(declarations, delegateSyntax, delegateSyntax.Identifier, delegateSyntax.TypeParameterList?.Parameters.Count ?? 0);
                    break;
            }
        }
        return new ParsedSource(text, sourceText, new DeclarationRegions(root, sourceText), declarations);
    }

    /// <summary>What <see cref="Parse"/> reads of one source file.</summary>
    internal sealed record ParsedSource(string Source, SourceText Text, DeclarationRegions Regions, List<(string Key, int Line)> Declarations);

    /// <summary>
    /// Local functions by <see cref="LocalFunctionKey"/>, from the sources <see cref="IndexDeclarations"/>
    /// parsed (parsed again), in the same order (files, then types, then methods). Only an extern
    /// local function (the private P/Invoke of a LibraryImport stub) has no sequence points to be
    /// located by, so this walk of every method body is made only when one is looked up, not for
    /// every diff.
    /// </summary>
    private Dictionary<string, (string File, int Line)> IndexLocalFunctions()
    {
        var index = new Dictionary<string, (string File, int Line)>(StringComparer.Ordinal);
        foreach (var (path, text) in _texts.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var tree = CSharpSyntaxTree.ParseText(text, DeclarationsOnly, path);
            var display = DisplayPath(path);
            foreach (var node in tree.GetRoot().DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax))
            {
                if (node is not TypeDeclarationSyntax type)
                    continue;
                var key = MetadataName(type, type.Identifier, TypeArity(type));
                foreach (var method in type.Members.OfType<MethodDeclarationSyntax>())
                {
                    foreach (var local in method.DescendantNodes().OfType<LocalFunctionStatementSyntax>())
                        index.TryAdd(key + "::" + method.Identifier.ValueText + "/" + local.Identifier.ValueText, (display, Line(local.Identifier)));
                }
            }
        }
        return index;
    }

    /// <summary>
    /// Documentation comments are only trivia here: parsing them into structure (the default) cost
    /// more than the declarations, in files such as resource classes where every member has one.
    /// </summary>
    private static readonly CSharpParseOptions DeclarationsOnly = CSharpParseOptions.Default.WithDocumentationMode(DocumentationMode.None);

    private static int TypeArity(BaseTypeDeclarationSyntax type) => type is TypeDeclarationSyntax t ? t.TypeParameterList?.Parameters.Count ?? 0 : 0;

    private static void AddType(List<(string Key, int Line)> declarations, MemberDeclarationSyntax type, SyntaxToken identifier, int arity)
    {
        var key = MetadataName(type, identifier, arity);
        declarations.Add((key, Line(identifier)));
        if (type is BaseTypeDeclarationSyntax typeSyntax)
        {
            if (typeSyntax is TypeDeclarationSyntax { ParameterList: { } primary })
            {
                foreach (var parameter in primary.Parameters)
                    declarations.Add((key + "::" + parameter.Identifier.ValueText, Line(parameter.Identifier)));
                declarations.Add((key + "::#ctor", Line(identifier)));
            }
            var members = typeSyntax switch
            {
                TypeDeclarationSyntax t => t.Members.Cast<MemberDeclarationSyntax>(),
                EnumDeclarationSyntax e => e.Members.Cast<MemberDeclarationSyntax>(),
                _ => Enumerable.Empty<MemberDeclarationSyntax>(),
            };
            foreach (var member in members)
            {
                switch (member)
                {
                    case BaseFieldDeclarationSyntax field:
                        foreach (var variable in field.Declaration.Variables)
                            declarations.Add((key + "::" + variable.Identifier.ValueText, Line(variable.Identifier)));
                        break;
                    case PropertyDeclarationSyntax property:
                        declarations.Add((key + "::" + property.Identifier.ValueText, Line(property.Identifier)));
                        break;
                    case IndexerDeclarationSyntax indexer:
                        declarations.Add((key + "::Item", Line(indexer.ThisKeyword)));
                        break;
                    case EventDeclarationSyntax evt:
                        declarations.Add((key + "::" + evt.Identifier.ValueText, Line(evt.Identifier)));
                        break;
                    case MethodDeclarationSyntax method:
                        // Its local functions are indexed only when one is looked up (IndexLocalFunctions).
                        declarations.Add((key + "::" + method.Identifier.ValueText, Line(method.Identifier)));
                        break;
                    case ConstructorDeclarationSyntax ctor:
                        // A static constructor is .cctor, not one of the instance constructors.
                        var ctorKey = ctor.Modifiers.Any(SyntaxKind.StaticKeyword) ? "::#cctor" : "::#ctor";
                        declarations.Add((key + ctorKey, Line(ctor.Identifier)));
                        break;
                    case EnumMemberDeclarationSyntax enumMember:
                        declarations.Add((key + "::" + enumMember.Identifier.ValueText, Line(enumMember.Identifier)));
                        break;
                }
            }
        }
    }

    /// <summary>The name metadata gives the declared type: namespace, nesting with '/', arity with '`'.</summary>
    private static string MetadataName(SyntaxNode type, SyntaxToken identifier, int arity)
    {
        var name = arity > 0 ? identifier.ValueText + "`" + arity : identifier.ValueText;
        // A file-local type as its metadata name reads without the checksum (FileLocalNames.Stable): <Cart>F__Helper.
        if (type is BaseTypeDeclarationSyntax declared && declared.Modifiers.Any(SyntaxKind.FileKeyword))
            name = "<" + FileNamePart(type.SyntaxTree.FilePath) + ">F__" + name;
        var parts = new List<string> { name };
        string? ns = null;
        for (var parent = type.Parent; parent != null; parent = parent.Parent)
        {
            switch (parent)
            {
                case TypeDeclarationSyntax outer:
                    var outerArity = outer.TypeParameterList?.Parameters.Count ?? 0;
                    parts.Insert(0, outerArity > 0 ? outer.Identifier.ValueText + "`" + outerArity : outer.Identifier.ValueText);
                    break;
                case BaseNamespaceDeclarationSyntax space:
                    ns = ns is null ? space.Name.ToString() : space.Name + "." + ns;
                    break;
            }
        }
        var nested = string.Join("/", parts);
        return ns is null ? nested : ns + "." + nested;
    }

    /// <summary>The file's name as Roslyn puts it in a file-local type's name: no extension, other characters than ASCII letters and digits made '_'.</summary>
    private static string FileNamePart(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path.Replace('\\', '/').Split('/')[^1]);
        return string.Create(name.Length, name, (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
                span[i] = source[i] is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' ? source[i] : '_';
        });
    }

    /// <summary>
    /// The line of a token of a parsed tree: what <c>token.GetLocation().GetLineSpan()</c> gives (unmapped: no
    /// <c>#line</c>), read from the text's line table without a location object per declaration.
    /// </summary>
    private static int Line(SyntaxToken token) => token.SyntaxTree!.GetText().Lines.GetLinePosition(token.SpanStart).Line + 1;

    private static string? ReadSource(string path, Document document)
    {
        try
        {
            foreach (var info in document.CustomDebugInformations)
            {
                if (info is EmbeddedSourceDebugInformation embedded)
                    return System.Text.Encoding.UTF8.GetString(embedded.Content);
            }
            return ReadFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }

    internal static string? ReadFile(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
