using System.Text;
using Mono.Cecil;

namespace PatchGen.TestSupport.Golden;

/// <summary>
/// An assembly as golden text: its name, its assembly- and module-level custom attributes and the
/// names of the assemblies it references (no versions, no public keys: those follow the SDK, not
/// the code under test), then, for <see cref="Of"/>, every type with every method.
/// </summary>
public static class AssemblyText
{
    private const string Indent = "  ";

    public static string Header(AssemblyDefinition assembly)
    {
        var text = new StringBuilder();
        text.Append(".assembly ").Append(assembly.Name.Name).Append('\n');
        foreach (var attribute in assembly.CustomAttributes)
            text.Append(Indent).Append(".custom ").Append(AttributeText.Of(attribute)).Append('\n');
        foreach (var attribute in assembly.MainModule.CustomAttributes)
            text.Append(Indent).Append(".module custom ").Append(AttributeText.Of(attribute)).Append('\n');
        foreach (var reference in assembly.MainModule.AssemblyReferences)
            text.Append(Indent).Append(".assembly extern ").Append(reference.Name).Append('\n');
        return text.ToString();
    }

    /// <summary>The header, then every type in metadata order (nested types after their declaring type); an empty &lt;Module&gt; is left out.</summary>
    public static string Of(AssemblyDefinition assembly)
    {
        var text = new StringBuilder(Header(assembly));
        foreach (var type in assembly.MainModule.GetTypes())
        {
            if (type.Name == "<Module>" && !type.HasMethods && !type.HasFields)
                continue;
            text.Append('\n').Append(TypeText.Of(type));
        }
        return text.ToString();
    }
}
