using System.Text.RegularExpressions;
using Mono.Cecil;

namespace PatchGen.TestSupport.Golden;

/// <summary>
/// A custom attribute as golden text, C#-like: <c>[Scope]Type(positional, Named = value)</c> (the
/// listings put it after <c>.custom</c>, so it needs no brackets of its own).
/// A string argument that is a GUID prints as <c>"&lt;mvid&gt;"</c>: the only GUIDs PatchGen writes are
/// module version IDs (the base a patch binds to, the build an instrumented assembly came from), and
/// those change with every compilation of a test input (its PDB path is part of the hashed image).
/// </summary>
public static partial class AttributeText
{
    public const string MvidPlaceholder = "<mvid>";

    public static string Of(CustomAttribute attribute)
    {
        var arguments = attribute.ConstructorArguments.Select(Argument)
            .Concat(attribute.Fields.Concat(attribute.Properties).Select(named => named.Name + " = " + Argument(named.Argument)));
        return MemberText.Type(attribute.AttributeType) + "(" + string.Join(", ", arguments) + ")";
    }

    private static string Argument(CustomAttributeArgument argument) => argument.Value switch
    {
        null => "null",
        CustomAttributeArgument boxed => Argument(boxed),
        CustomAttributeArgument[] elements => "{" + string.Join(", ", elements.Select(Argument)) + "}",
        TypeReference type => "typeof(" + type.FullName + ")",
        string s when Guid().IsMatch(s) => LiteralText.Quote(MvidPlaceholder),
        // An enum argument is stored as its underlying number: print it with its enum type.
        _ when argument.Type.IsValueType && !argument.Type.IsPrimitive => "(" + argument.Type.FullName + ")" + LiteralText.Of(argument.Value),
        var value => LiteralText.Of(value),
    };

    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex Guid();
}
