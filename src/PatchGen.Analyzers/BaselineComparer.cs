using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using PatchGen.Baseline;
using PatchGen.Diagnostics;

namespace PatchGen.Analyzers
{
    /// <summary>
    /// Compares a type of the baseline with the same type being edited, rule for rule as the diff
    /// engine compares two builds (src/PatchGen.Diff: TypeComparer, FieldComparer,
    /// PropertyAndEventComparer, MethodComparer), for the PG1xxx and PG2xxx rules: the same pairing
    /// (fields by name, methods and properties by documentation ID, unmatched ones of the same name as
    /// a signature change), the same exceptions (a new constant is patchable, auto layout has no field
    /// order), the same reported IDs. What only IL shows is compared from source instead: static
    /// initialization (PG2004) and LibraryImport stubs (PG1006) by their source fingerprints.
    /// </summary>
    internal sealed class BaselineComparer
    {
        public const string FieldNameProperty = DiagnosticProperties.FieldName;
        public const string InstanceFieldProperty = DiagnosticProperties.InstanceField;
        public const string MemberProperty = DiagnosticProperties.Member;

        private readonly BaselineType _b;
        private readonly CurrentType _current;
        private readonly BaselineType _n;
        private readonly List<Finding> _findings = new List<Finding>();

        private BaselineComparer(BaselineType b, CurrentType current)
        {
            _b = b;
            _current = current;
            _n = current.Model;
        }

        public static List<Finding> Compare(BaselineType b, CurrentType current)
        {
            var comparer = new BaselineComparer(b, current);
            comparer.CompareType();
            return comparer._findings;
        }

        private void Report(DiagnosticDescriptor rule, string member, Microsoft.CodeAnalysis.Location location, params object[] args)
            => _findings.Add(new Finding(rule, member, location, args, ImmutableDictionary<string, string?>.Empty.Add(MemberProperty, member)));

        private void CompareType()
        {
            var id = _n.Id;
            var name = _n.DisplayName;
            var at = _current.Location;
            void Shape(string what) => Report(DiagnosticCatalog.TypeShapeChanged, id, at, name, what);

            if (_b.Kind != _n.Kind)
            {
                Shape($"changed from {_b.Kind} to {_n.Kind}");
                return; // As the diff engine: members of a type that is now something else are not compared.
            }
            if (Known(_b.BaseType, _n.BaseType) && _b.BaseType != _n.BaseType)
                Shape($"base type changed from {Or(_b.BaseType)} to {Or(_n.BaseType)}");
            if (!_n.Interfaces.Any(SignatureText.IsUnknown))
            {
                foreach (var added in _n.Interfaces.Where(i => !_b.Interfaces.Contains(i)))
                    Shape("now implements " + added);
                foreach (var removed in _b.Interfaces.Where(i => !_n.Interfaces.Contains(i)))
                    Shape("no longer implements " + removed);
            }
            if (_b.Kind == "enum" && Known(_b.EnumUnderlyingType, _n.EnumUnderlyingType) && _b.EnumUnderlyingType != _n.EnumUnderlyingType)
                Shape($"underlying type changed from {_b.EnumUnderlyingType} to {_n.EnumUnderlyingType}");
            if (_b.Modifiers != _n.Modifiers)
                Shape($"changed from {SignatureText.TypeModifiersDisplay(_b.Modifiers)} to {SignatureText.TypeModifiersDisplay(_n.Modifiers)}");
            if (Generics(_b.GenericParameters, _n.GenericParameters, _current.TypeParameterNames.TryGetValue(id, out var names) ? names : null) is { } generics)
                Report(DiagnosticCatalog.GenericsChanged, id, at, name, generics);
            if (Layout() is { } layout)
                Report(DiagnosticCatalog.LayoutChanged, id, at, name, layout);

            if (_b.StaticInitialization != BaselineType.Unknown && _n.StaticInitialization != BaselineType.Unknown
                && _b.StaticInitialization != _n.StaticInitialization)
                Report(DiagnosticCatalog.StaticInitializerChanged, "M:" + id.Substring(2) + ".#cctor", _current.StaticInitializationLocation, name);

            CompareFields();
            var accounted = ComparePropertiesAndEvents(_b.Properties, _n.Properties, "property");
            accounted.UnionWith(ComparePropertiesAndEvents(_b.Events, _n.Events, "event"));
            CompareMethods(accounted);
        }

        private static bool Known(string a, string b) => !SignatureText.IsUnknown(a) && !SignatureText.IsUnknown(b);

        private static string Or(string type) => type.Length == 0 ? "none" : type;

        private static string? Generics(List<string> b, List<string> n, List<string>? names)
        {
            if (b.Count != n.Count)
                return "arity";
            for (int i = 0; i < b.Count; i++)
            {
                if (Known(b[i], n[i]) && b[i] != n[i])
                    return "constraints of type parameter " + (names != null && i < names.Count ? names[i] : "#" + i);
            }
            return null;
        }

        /// <summary>StructLayout kind, pack and size; for sequential and explicit layout also the order (and offsets) of the instance fields both have.</summary>
        private string? Layout()
        {
            if (_b.Kind == "interface")
                return null;
            var parts = new List<string>();
            if (_b.LayoutKind != _n.LayoutKind)
                parts.Add($"layout kind {_b.LayoutKind} became {_n.LayoutKind}");
            if (_b.Pack != _n.Pack)
                parts.Add($"pack {_b.Pack} became {_n.Pack}");
            if (_b.Size != _n.Size)
                parts.Add($"size {_b.Size} became {_n.Size}");
            if (_n.LayoutKind != "auto" && _b.LayoutKind == _n.LayoutKind)
            {
                var newNames = new HashSet<string>(_n.Fields.Where(f => !f.HasFlag("static")).Select(f => f.Name), StringComparer.Ordinal);
                var baseNames = new HashSet<string>(_b.Fields.Where(f => !f.HasFlag("static")).Select(f => f.Name), StringComparer.Ordinal);
                var baseOrder = _b.Fields.Where(f => !f.HasFlag("static") && newNames.Contains(f.Name)).Select(f => f.Name);
                var newOrder = _n.Fields.Where(f => !f.HasFlag("static") && baseNames.Contains(f.Name)).Select(f => f.Name);
                if (!baseOrder.SequenceEqual(newOrder, StringComparer.Ordinal))
                    parts.Add("field order changed");
                if (_n.LayoutKind == "explicit")
                {
                    foreach (var field in _n.Fields.Where(f => !f.HasFlag("static")))
                    {
                        var old = _b.Fields.FirstOrDefault(f => f.Name == field.Name && !f.HasFlag("static"));
                        if (old != null && old.Offset != field.Offset)
                            parts.Add($"field {field.Name} moved from offset {old.Offset} to {field.Offset}");
                    }
                }
            }
            return parts.Count == 0 ? null : string.Join("; ", parts);
        }

        private static bool IsConstant(BaselineField field) => field.HasFlag("literal") || field.HasFlag("decimalconst");

        private void CompareFields()
        {
            var baseFields = _b.Fields.GroupBy(f => f.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var newFields = new HashSet<string>(_n.Fields.Select(f => f.Name), StringComparer.Ordinal);
            var typeName = _n.DisplayName;
            foreach (var field in _n.Fields)
            {
                if (baseFields.TryGetValue(field.Name, out var old))
                {
                    CompareField(old, field);
                    continue;
                }
                // A new constant has no storage: its value is compiled into the new code that uses it (PG3007, patchable).
                if (IsConstant(field))
                    continue;
                var properties = ImmutableDictionary<string, string?>.Empty
                    .Add(MemberProperty, field.ReportedId)
                    .Add(FieldNameProperty, field.Name)
                    .Add(InstanceFieldProperty, !field.HasFlag("static") && !_current.CapturedParameterFields.Contains(field.Name) && field.ReportedId.StartsWith("F:", StringComparison.Ordinal) ? "true" : "false");
                _findings.Add(new Finding(DiagnosticCatalog.FieldAdded, field.ReportedId, _current.FieldLocation(field.Name),
                    new object[] { field.DisplayName, typeName }, properties));
            }
            foreach (var field in _b.Fields)
            {
                if (newFields.Contains(field.Name) || IsConstant(field))
                    continue;
                Report(DiagnosticCatalog.FieldRemoved, field.ReportedId, _current.Location, field.DisplayName, typeName);
            }
        }

        private void CompareField(BaselineField b, BaselineField n)
        {
            var id = n.ReportedId;
            var name = n.DisplayName;
            var at = _current.FieldLocation(n.Name);
            void Changed(string what) => Report(DiagnosticCatalog.FieldChanged, id, at, name, what);

            bool constants = b.HasFlag("literal") && n.HasFlag("literal");
            if (b.HasFlag("volatile") != n.HasFlag("volatile"))
                Changed(n.HasFlag("volatile") ? "to volatile" : "to not volatile");
            if (!constants && Known(b.Type, n.Type) && b.Type != n.Type)
                Changed($"type from {b.Type} to {n.Type}");
            if (b.HasFlag("static") != n.HasFlag("static"))
                Changed(n.HasFlag("static") ? "from instance to static" : "from static to instance");
            if (b.HasFlag("readonly") != n.HasFlag("readonly"))
                Changed(n.HasFlag("readonly") ? "to readonly" : "to not readonly");
            if (b.HasFlag("literal") != n.HasFlag("literal"))
                Changed(n.HasFlag("literal") ? "to const" : "from const to a stored field");
            if (b.Marshal != n.Marshal)
                Changed("marshalling");
            if (b.HasFlag("threadstatic") != n.HasFlag("threadstatic"))
                Changed(n.HasFlag("threadstatic") ? "to thread-static" : "to not thread-static");

            bool bothDecimal = b.HasFlag("decimalconst") && n.HasFlag("decimalconst");
            if ((constants || bothDecimal) && b.Constant.Length > 0 && n.Constant.Length > 0 && b.Constant != n.Constant && !SameEnumValue(b, n))
            {
                var (was, now) = (b.ConstantDisplay, n.ConstantDisplay);
                if (was == now)
                    (was, now) = ($"{was} ({b.Type})", $"{now} ({n.Type})");
                Report(DiagnosticCatalog.ConstantChanged, id, _current.ConstantValues.TryGetValue(n.Name, out var value) ? value : at, name, was, now);
            }
        }

        /// <summary>An enum member keeps its value when only the enum's underlying type changed (that is PG1004).</summary>
        private bool SameEnumValue(BaselineField b, BaselineField n)
            => _b.Kind == "enum" && ConstantText.Numeric(b.Constant) is decimal x && ConstantText.Numeric(n.Constant) is decimal y && x == y;

        /// <returns>The accessors accounted for (documentation IDs), which the method comparison skips.</returns>
        private HashSet<string> ComparePropertiesAndEvents(List<BaselineProperty> baseMembers, List<BaselineProperty> newMembers, string kind)
        {
            var accounted = new HashSet<string>(StringComparer.Ordinal);
            var before = Index(baseMembers);
            var after = Index(newMembers);

            var renamed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var group in before.Where(p => !after.ContainsKey(p.Key)).GroupBy(p => p.Value.Name).ToList())
            {
                var candidates = after.Where(p => !before.ContainsKey(p.Key) && p.Value.Name == group.Key).ToList();
                foreach (var (old, member) in group.Zip(candidates, (o, m) => (o, m)))
                {
                    SignatureChanged(old.Key, old.Value, member.Value, accounted);
                    renamed.Add(old.Key);
                    renamed.Add(member.Key);
                }
            }
            foreach (var pair in after)
            {
                if (renamed.Contains(pair.Key))
                    continue;
                if (before.TryGetValue(pair.Key, out var old))
                {
                    if (Known(old.Signature, pair.Value.Signature) && old.Signature != pair.Value.Signature)
                        SignatureChanged(pair.Key, old, pair.Value, accounted);
                    continue;
                }
                accounted.UnionWith(pair.Value.Accessors);
                AddedOrRemoved(pair.Key, pair.Value, kind, added: true);
            }
            foreach (var pair in before)
            {
                if (after.ContainsKey(pair.Key) || renamed.Contains(pair.Key))
                    continue;
                accounted.UnionWith(pair.Value.Accessors);
                AddedOrRemoved(pair.Key, pair.Value, kind, added: false);
            }
            return accounted;
        }

        private static Dictionary<string, BaselineProperty> Index(List<BaselineProperty> members)
        {
            var index = new Dictionary<string, BaselineProperty>(StringComparer.Ordinal);
            foreach (var member in members)
            {
                if (!index.ContainsKey(member.Id))
                    index.Add(member.Id, member);
            }
            return index;
        }

        private void SignatureChanged(string id, BaselineProperty old, BaselineProperty member, HashSet<string> accounted)
        {
            accounted.UnionWith(old.Accessors);
            accounted.UnionWith(member.Accessors);
            Report(DiagnosticCatalog.SignatureChanged, id, _current.MemberLocation(member.Id), old.DisplayName, member.Signature.Replace("static ", "static ") + " " + member.DisplayName);
        }

        private void AddedOrRemoved(string id, BaselineProperty member, string kind, bool added)
        {
            var at = added ? _current.MemberLocation(id) : _current.Location;
            var name = kind + " " + member.DisplayName;
            if (_b.Kind == "interface")
                Report(DiagnosticCatalog.InterfaceMembersChanged, id, at, name, added ? "added to" : "removed from", _n.DisplayName);
            else if (member.IsVirtual)
                Report(DiagnosticCatalog.DispatchLayoutChanged, id, at, name, (added ? "a virtual " + kind + " was added" : "a virtual " + kind + " was removed"));
            // Otherwise PG3007 or PG3003: patchable, not this analyzer's business.
        }

        private void CompareMethods(HashSet<string> accounted)
        {
            var before = new SortedDictionary<string, BaselineMethod>(StringComparer.Ordinal);
            foreach (var m in _b.Methods)
                before[m.Id] = m;
            var after = new SortedDictionary<string, BaselineMethod>(StringComparer.Ordinal);
            foreach (var m in _n.Methods)
                after[m.Id] = m;

            foreach (var pair in after)
            {
                if (before.TryGetValue(pair.Key, out var old) && !accounted.Contains(pair.Key))
                    CompareMethod(old, pair.Value);
            }

            var removed = before.Where(p => !after.ContainsKey(p.Key) && !accounted.Contains(p.Key)).Select(p => p.Value).ToList();
            var added = after.Where(p => !before.ContainsKey(p.Key) && !accounted.Contains(p.Key)).Select(p => p.Value).ToList();
            foreach (var group in removed.GroupBy(m => m.Name).ToList())
            {
                var candidates = added.Where(m => m.Name == group.Key).ToList();
                foreach (var (old, method) in group.Zip(candidates, (o, m) => (o, m)))
                {
                    var at = _current.MethodLocation(method.Id);
                    if (old.GenericParameters.Count != method.GenericParameters.Count)
                        Report(DiagnosticCatalog.GenericsChanged, old.Id, at, old.DisplayName, "arity");
                    else
                        Report(DiagnosticCatalog.SignatureChanged, old.Id, at, old.DisplayName, NewPrototype(method));
                    removed.Remove(old);
                    added.Remove(method);
                }
            }
            foreach (var method in removed)
                MethodAddedOrRemoved(method, added: false);
            foreach (var method in added)
                MethodAddedOrRemoved(method, added: true);
        }

        private string NewPrototype(BaselineMethod method) => _current.Prototypes.TryGetValue(method.Id, out var p) ? p : method.DisplayName;

        private static bool IsClone(BaselineMethod method) => method.Name == "<Clone>$";

        private string ReportedId(BaselineMethod method) => IsClone(method) ? _n.Id : method.Id;

        private void MethodAddedOrRemoved(BaselineMethod method, bool added)
        {
            var id = ReportedId(method);
            var at = added ? _current.MethodLocation(method.Id) : _current.Location;
            if (_b.Kind == "interface")
                Report(DiagnosticCatalog.InterfaceMembersChanged, id, at, method.DisplayName, added ? "added to" : "removed from", _n.DisplayName);
            else if (method.IsVirtual)
                Report(DiagnosticCatalog.DispatchLayoutChanged, id, at, method.DisplayName,
                    (method.Dispatch.StartsWith("abstract", StringComparison.Ordinal) ? "an abstract" : "a virtual") + " method was " + (added ? "added" : "removed"));
            // A record's clone method is reported with its record; other methods are PG3007/PG3003.
        }

        private void CompareMethod(BaselineMethod b, BaselineMethod n)
        {
            var id = ReportedId(n);
            var name = n.DisplayName;
            var at = _current.MethodLocation(n.Id);

            if (Known(b.Signature, n.Signature) && b.Signature != n.Signature)
                Report(DiagnosticCatalog.SignatureChanged, id, at, name, NewPrototype(n));
            if (Generics(b.GenericParameters, n.GenericParameters, _current.TypeParameterNames.TryGetValue(n.Id, out var names) ? names : null) is { } generics)
                Report(DiagnosticCatalog.GenericsChanged, id, at, name, generics);
            if (Known(b.Dispatch, n.Dispatch) && b.Dispatch != n.Dispatch)
                Report(DiagnosticCatalog.DispatchLayoutChanged, id, at, name, $"dispatch changed from {SignatureText.DispatchKind(b.Dispatch)} to {SignatureText.DispatchKind(n.Dispatch)}");
            if ((b.NoBody != "body" || n.NoBody != "body") && b.NoBody != n.NoBody)
                Report(DiagnosticCatalog.NoBodyToReplace, id, at, name, SignatureText.NoBodyKind(n.NoBody != "body" ? n.NoBody : b.NoBody));
            var parameterNames = _current.ParameterNames.TryGetValue(n.Id, out var p) ? p : null;
            for (int i = 0; i < Math.Min(b.Defaults.Count, n.Defaults.Count); i++)
            {
                if (b.Defaults[i] == n.Defaults[i])
                    continue;
                var parameter = parameterNames != null && i < parameterNames.Count ? parameterNames[i] : "#" + i;
                Report(DiagnosticCatalog.ConstantChanged, id, _current.Defaults.TryGetValue((n.Id, i), out var value) ? value : at,
                    $"the default value of parameter '{parameter}' of {name}", b.DefaultDisplays[i], n.DefaultDisplays[i]);
            }
            // The body of a LibraryImport method is generated marshalling code around a P/Invoke.
            if (b.NoBody == "body" && n.NoBody == "body" && b.StubFingerprint.Length > 0 && n.StubFingerprint.Length > 0
                && b.StubFingerprint != BaselineType.Unknown && n.StubFingerprint != BaselineType.Unknown && b.StubFingerprint != n.StubFingerprint)
                Report(DiagnosticCatalog.NoBodyToReplace, id, at, name, "a LibraryImport stub");
        }
    }
}
