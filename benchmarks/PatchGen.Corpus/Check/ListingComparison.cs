namespace PatchGen.Corpus.Check;

/// <summary>
/// The changes between two builds' listings that the simple model's rules never accept, for types present in both
/// (an added or removed type, method or constant is accepted: PG3007, PG3003): a non-constant field added, removed
/// or changed (type, static/instance), a constant's value changed, a method whose name is in both builds with an
/// overload gone and another come (a changed signature), a static constructor added, removed or changed.
/// </summary>
internal static class ListingComparison
{
    public static IReadOnlyList<ListingChange> Compare(MetadataListing v1, MetadataListing v2)
    {
        var changes = new List<ListingChange>();
        foreach (var (name, before) in v1.Types.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (!v2.Types.TryGetValue(name, out var after))
                continue;
            CompareFields(before, after, changes);
            CompareMethods(before, after, changes);
            if (before.StaticConstructorIl != after.StaticConstructorIl)
            {
                var what = before.StaticConstructorIl is null ? "added" : after.StaticConstructorIl is null ? "removed" : "IL changed";
                changes.Add(new ListingChange(ListingChangeKind.StaticConstructorChanged, name, null, what));
            }
        }
        return changes;
    }

    private static void CompareFields(MetadataListing.TypeListing before, MetadataListing.TypeListing after, List<ListingChange> changes)
    {
        foreach (var (fieldName, field) in before.Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (!after.Fields.TryGetValue(fieldName, out var now))
            {
                if (!field.IsLiteral)
                    changes.Add(new ListingChange(ListingChangeKind.FieldRemoved, before.Name, fieldName, field.Shape));
            }
            else if (field.IsLiteral != now.IsLiteral || field.Shape != now.Shape)
                changes.Add(new ListingChange(ListingChangeKind.FieldChanged, before.Name, fieldName, field.Shape + " -> " + now.Shape));
            else if (field.ConstantValue != now.ConstantValue)
                changes.Add(new ListingChange(ListingChangeKind.ConstantValueChanged, before.Name, fieldName, field.ConstantValue + " -> " + now.ConstantValue));
        }
        foreach (var (fieldName, field) in after.Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (!before.Fields.ContainsKey(fieldName) && !field.IsLiteral)
                changes.Add(new ListingChange(ListingChangeKind.FieldAdded, before.Name, fieldName, field.Shape));
        }
    }

    private static void CompareMethods(MetadataListing.TypeListing before, MetadataListing.TypeListing after, List<ListingChange> changes)
    {
        foreach (var (methodName, signatures) in before.MethodSignaturesByName.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (!after.MethodSignaturesByName.TryGetValue(methodName, out var now))
                continue;
            var gone = signatures.Except(now).Order(StringComparer.Ordinal).ToList();
            var come = now.Except(signatures).Order(StringComparer.Ordinal).ToList();
            if (gone.Count > 0 && come.Count > 0)
                changes.Add(new ListingChange(ListingChangeKind.SignatureChanged, before.Name, methodName, string.Join(" | ", gone) + " -> " + string.Join(" | ", come)));
        }
    }
}
