using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace PatchGen.Baseline;

/// <summary>
/// Reads and writes the manifest's text form (docs/baseline-manifest.md): one record per line,
/// fields separated by tabs, backslash escapes for tab, line feed, carriage return and backslash;
/// members follow the type they belong to. Deterministic: the same model gives the same bytes
/// (UTF-8 without BOM, '\n' line ends). No JSON library: the analyzer runs inside the compiler,
/// which must not be made to load one.
/// </summary>
internal static class BaselineText
{
    private const string Magic = "patchgen-baseline";

    public static string Write(BaselineManifest manifest)
    {
        var w = new StringBuilder();
        void Line(params string[] fields)
        {
            for (int i = 0; i < fields.Length; i++)
            {
                if (i > 0)
                    w.Append('\t');
                w.Append(Escape(fields[i]));
            }
            w.Append('\n');
        }
        string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

        Line(Magic, Int(BaselineManifest.CurrentFormatVersion));
        Line("assembly", manifest.AssemblyName);
        Line("mvid", manifest.Mvid.ToString("D"));
        Line("sources", manifest.SourcesComplete ? "complete" : "incomplete");
        foreach (var missing in manifest.MissingSources.OrderBy(s => s, StringComparer.Ordinal))
            Line("missing-source", missing);
        foreach (var t in manifest.Types.OrderBy(t => t.Id, StringComparer.Ordinal))
        {
            Line("type", t.Id, t.MetadataName, t.Namespace, t.DeclaringTypeId, t.Kind, t.Modifiers, t.BaseType,
                t.LayoutKind, Int(t.Pack), Int(t.Size), t.EnumUnderlyingType, t.StaticInitialization, t.DisplayName);
            if (t.InlineArrayLength != 0)
                Line("inline-array", Int(t.InlineArrayLength));
            foreach (var i in t.Interfaces.OrderBy(s => s, StringComparer.Ordinal))
                Line("interface", i);
            for (int i = 0; i < t.GenericParameters.Count; i++)
                Line("type-parameter", Int(i), t.GenericParameters[i]);
            // Fields, properties and events in metadata order: the order of a sequential type's fields is its layout.
            foreach (var f in t.Fields)
                Line("field", f.Name, f.ReportedId, f.Type, f.Flags, f.Constant, f.ConstantDisplay, f.Marshal, Int(f.Offset), f.DisplayName);
            foreach (var m in t.Methods.OrderBy(m => m.Id, StringComparer.Ordinal))
            {
                Line("method", m.Id, m.Name, m.Signature, m.Dispatch, m.NoBody, m.BodyHash, m.StubFingerprint, m.DisplayName);
                if (m.IsAutoAccessor)
                    Line("auto-accessor");
                for (int i = 0; i < m.GenericParameters.Count; i++)
                    Line("method-type-parameter", Int(i), m.GenericParameters[i]);
                for (int i = 0; i < m.Defaults.Count; i++)
                {
                    if (m.Defaults[i].Length > 0)
                        Line("default", Int(i), m.Defaults[i], m.DefaultDisplays[i]);
                }
                if (m.Defaults.Count > 0)
                    Line("parameters", Int(m.Defaults.Count));
            }
            foreach (var p in t.Properties)
                WriteProperty(Line, "property", p);
            foreach (var e in t.Events)
                WriteProperty(Line, "event", e);
        }
        Line("end");
        return w.ToString();
    }

    private static void WriteProperty(Action<string[]> line, string keyword, BaselineProperty p)
    {
        line(new[] { keyword, p.Id, p.Name, p.Signature, p.IsVirtual ? "virtual" : "non-virtual", p.DisplayName });
        foreach (var a in p.Accessors.OrderBy(s => s, StringComparer.Ordinal))
            line(new[] { "accessor", a });
    }

    public static byte[] WriteBytes(BaselineManifest manifest) => new UTF8Encoding(false).GetBytes(Write(manifest));

    /// <summary>Reads a manifest; anything malformed throws <see cref="BaselineFormatException"/> naming the line.</summary>
    public static BaselineManifest Read(string text)
    {
        var lines = text.Split('\n');
        int number = 0;
        string[] Next()
        {
            while (number < lines.Length)
            {
                var raw = lines[number++].TrimEnd('\r');
                if (raw.Length == 0 || raw[0] == '#')
                    continue;
                return raw.Split('\t').Select(Unescape).ToArray();
            }
            throw new BaselineFormatException("unexpected end of the manifest (no 'end' line): it was cut short");
        }
        BaselineFormatException Bad(string what) => new BaselineFormatException($"line {number}: {what}");
        int ParseInt(string s)
        {
            if (!int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                throw Bad($"'{s}' is not a number");
            return value;
        }
        string[] Expect(string[] fields, int count)
        {
            if (fields.Length != count)
                throw Bad($"'{fields[0]}' has {fields.Length - 1} fields, expected {count - 1}");
            return fields;
        }

        var header = Next();
        if (header.Length != 2 || header[0] != Magic)
            throw Bad("not a PatchGen baseline manifest (expected 'patchgen-baseline <version>')");
        if (ParseInt(header[1]) != BaselineManifest.CurrentFormatVersion)
            throw Bad($"format version {header[1]} is not supported (this PatchGen reads version {BaselineManifest.CurrentFormatVersion})");
        var assembly = Expect(Next(), 2);
        if (assembly[0] != "assembly")
            throw Bad("expected 'assembly <name>'");
        var mvidLine = Expect(Next(), 2);
        if (mvidLine[0] != "mvid" || !Guid.TryParseExact(mvidLine[1], "D", out var mvid))
            throw Bad("expected 'mvid <guid>'");
        var manifest = new BaselineManifest(assembly[1], mvid);

        BaselineType? type = null;
        BaselineMethod? method = null;
        BaselineProperty? member = null;
        while (true)
        {
            var f = Next();
            switch (f[0])
            {
                case "end":
                    return manifest;
                case "sources":
                    manifest.SourcesComplete = Expect(f, 2)[1] == "complete";
                    break;
                case "missing-source":
                    manifest.MissingSources.Add(Expect(f, 2)[1]);
                    break;
                case "type":
                    Expect(f, 14);
                    type = new BaselineType
                    {
                        Id = f[1], MetadataName = f[2], Namespace = f[3], DeclaringTypeId = f[4], Kind = f[5], Modifiers = f[6], BaseType = f[7],
                        LayoutKind = f[8], Pack = ParseInt(f[9]), Size = ParseInt(f[10]), EnumUnderlyingType = f[11], StaticInitialization = f[12], DisplayName = f[13],
                    };
                    manifest.Types.Add(type);
                    method = null;
                    member = null;
                    break;
                case "inline-array":
                    Type().InlineArrayLength = ParseInt(Expect(f, 2)[1]);
                    break;
                case "interface":
                    Type().Interfaces.Add(Expect(f, 2)[1]);
                    break;
                case "type-parameter":
                    Expect(f, 3);
                    Type().GenericParameters.Add(f[2]);
                    break;
                case "field":
                    Expect(f, 10);
                    Type().Fields.Add(new BaselineField
                    {
                        Name = f[1], ReportedId = f[2], Type = f[3], Flags = f[4], Constant = f[5], ConstantDisplay = f[6], Marshal = f[7], Offset = ParseInt(f[8]), DisplayName = f[9],
                    });
                    break;
                case "method":
                    Expect(f, 9);
                    method = new BaselineMethod
                    {
                        Id = f[1], Name = f[2], Signature = f[3], Dispatch = f[4], NoBody = f[5], BodyHash = f[6], StubFingerprint = f[7], DisplayName = f[8],
                    };
                    Type().Methods.Add(method);
                    member = null;
                    break;
                case "auto-accessor":
                    Expect(f, 1);
                    Method().IsAutoAccessor = true;
                    break;
                case "method-type-parameter":
                    Expect(f, 3);
                    Method().GenericParameters.Add(f[2]);
                    break;
                case "default":
                {
                    Expect(f, 4);
                    int index = ParseInt(f[1]);
                    var m = Method();
                    while (m.Defaults.Count <= index)
                    {
                        m.Defaults.Add("");
                        m.DefaultDisplays.Add("none");
                    }
                    m.Defaults[index] = f[2];
                    m.DefaultDisplays[index] = f[3];
                    break;
                }
                case "parameters":
                {
                    int count = ParseInt(Expect(f, 2)[1]);
                    var m = Method();
                    while (m.Defaults.Count < count)
                    {
                        m.Defaults.Add("");
                        m.DefaultDisplays.Add("none");
                    }
                    break;
                }
                case "property":
                case "event":
                    Expect(f, 6);
                    member = new BaselineProperty { Id = f[1], Name = f[2], Signature = f[3], IsVirtual = f[4] == "virtual", DisplayName = f[5] };
                    (f[0] == "property" ? Type().Properties : Type().Events).Add(member);
                    method = null;
                    break;
                case "accessor":
                    if (member is null)
                        throw Bad("'accessor' outside a property or event");
                    member.Accessors.Add(Expect(f, 2)[1]);
                    break;
                default:
                    throw Bad($"unknown record '{f[0]}'");
            }
        }

        BaselineType Type() => type ?? throw Bad("a member record before any 'type'");
        BaselineMethod Method() => method ?? throw Bad("a method detail outside a method");
    }

    public static BaselineManifest Read(Stream stream)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        return Read(reader.ReadToEnd());
    }

    private static string Escape(string value)
    {
        if (value.IndexOfAny(new[] { '\\', '\t', '\n', '\r' }) < 0)
            return value;
        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': builder.Append("\\\\"); break;
                case '\t': builder.Append("\\t"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                default: builder.Append(c); break;
            }
        }
        return builder.ToString();
    }

    private static string Unescape(string value)
    {
        if (value.IndexOf('\\') < 0)
            return value;
        var builder = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c != '\\' || i + 1 == value.Length)
            {
                builder.Append(c);
                continue;
            }
            char next = value[++i];
            builder.Append(next switch { 't' => '\t', 'n' => '\n', 'r' => '\r', _ => next });
        }
        return builder.ToString();
    }
}
