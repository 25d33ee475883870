using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Text;
using System.Text.RegularExpressions;

namespace PatchGen.Corpus.Check;

/// <summary>
/// A method body's IL as text with every token replaced by what it names (member and type names, string literals),
/// so two builds whose metadata tables are numbered differently compare equal exactly when the code is the same.
/// Opcodes and operand sizes come from <see cref="OpCodes"/>; names from <see cref="SignatureText"/>.
/// </summary>
internal static partial class IlText
{
    // The compiler numbers a lambda, its cache field and a closure class by their method's ordinal in the type
    // (<.cctor>b__313_0, <>9__313_0, <>c__DisplayClass313_0): a method added or removed before it renumbers the
    // same code. The ordinal after it (which lambda of that method) is kept.
    [GeneratedRegex(@"(b__|<>9__|DisplayClass)\d+_")]
    private static partial Regex MethodOrdinal();

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static string Render(MetadataReader reader, MethodBodyBlock body)
    {
        var text = new StringBuilder();
        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            int first = il.ReadByte();
            short value = first == 0xFE ? (short)(0xFE00 | il.ReadByte()) : (short)first;
            if (!OpCodesByValue.TryGetValue(value, out var opcode))
                throw new BadImageFormatException($"unknown IL opcode 0x{value:X}");
            text.Append(opcode.Name);
            switch (opcode.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    text.Append(' ').Append(il.ReadSByte());
                    break;
                case OperandType.InlineVar:
                    text.Append(' ').Append(il.ReadInt16());
                    break;
                case OperandType.InlineBrTarget:
                case OperandType.InlineI:
                    text.Append(' ').Append(il.ReadInt32());
                    break;
                case OperandType.InlineI8:
                    text.Append(' ').Append(il.ReadInt64());
                    break;
                case OperandType.ShortInlineR:
                    text.Append(' ').Append(il.ReadSingle().ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case OperandType.InlineR:
                    text.Append(' ').Append(il.ReadDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case OperandType.InlineSwitch:
                    int count = il.ReadInt32();
                    for (int i = 0; i < count; i++)
                        text.Append(' ').Append(il.ReadInt32());
                    break;
                case OperandType.InlineString:
                    text.Append(" \"").Append(reader.GetUserString(MetadataTokens.UserStringHandle(il.ReadInt32() & 0xFFFFFF))).Append('"');
                    break;
                default:
                    // InlineField, InlineMethod, InlineTok, InlineType, InlineSig: a metadata token.
                    text.Append(' ').Append(MethodOrdinal().Replace(TokenText(reader, il.ReadInt32()), "$1#_"));
                    break;
            }
            text.Append('\n');
        }
        foreach (var region in body.ExceptionRegions)
            text.Append(region.Kind).Append(' ').Append(region.TryOffset).Append(' ').Append(region.TryLength).Append(' ')
                .Append(region.HandlerOffset).Append(' ').Append(region.HandlerLength).Append('\n');
        return text.ToString();
    }

    private static string TokenText(MetadataReader reader, int token)
    {
        var handle = MetadataTokens.EntityHandle(token);
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                return SignatureText.TypeName(reader, (TypeDefinitionHandle)handle);
            case HandleKind.TypeReference:
                return SignatureText.TypeName(reader, (TypeReferenceHandle)handle);
            case HandleKind.TypeSpecification:
                return reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(SignatureText.Instance, null);
            case HandleKind.FieldDefinition:
                var field = reader.GetFieldDefinition((FieldDefinitionHandle)handle);
                return SignatureText.TypeName(reader, field.GetDeclaringType()) + "::" + reader.GetString(field.Name);
            case HandleKind.MethodDefinition:
                var method = reader.GetMethodDefinition((MethodDefinitionHandle)handle);
                return SignatureText.TypeName(reader, method.GetDeclaringType()) + "::" + reader.GetString(method.Name)
                       + MetadataListing.SignatureOf(method.DecodeSignature(SignatureText.Instance, null));
            case HandleKind.MemberReference:
                var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                return ParentText(reader, member.Parent) + "::" + reader.GetString(member.Name)
                       + (member.GetKind() == MemberReferenceKind.Method
                           ? MetadataListing.SignatureOf(member.DecodeMethodSignature(SignatureText.Instance, null))
                           : " " + member.DecodeFieldSignature(SignatureText.Instance, null));
            case HandleKind.MethodSpecification:
                var spec = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                return TokenText(reader, MetadataTokens.GetToken(spec.Method)) + "<" + string.Join(",", spec.DecodeSignature(SignatureText.Instance, null)) + ">";
            case HandleKind.StandaloneSignature:
                return "sig " + reader.GetBlobContent(reader.GetStandaloneSignature((StandaloneSignatureHandle)handle).Signature).Length;
            default:
                return handle.Kind.ToString();
        }
    }

    private static string ParentText(MetadataReader reader, EntityHandle parent) => parent.Kind switch
    {
        HandleKind.TypeDefinition or HandleKind.TypeReference or HandleKind.TypeSpecification => TokenText(reader, MetadataTokens.GetToken(parent)),
        HandleKind.MethodDefinition => TokenText(reader, MetadataTokens.GetToken(parent)),
        _ => parent.Kind.ToString(),
    };
}
