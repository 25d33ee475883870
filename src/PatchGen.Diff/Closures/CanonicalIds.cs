using System.Globalization;
using System.Text;
using Mono.Cecil;

namespace PatchGen.Diff.Closures;

/// <summary>
/// The canonical IDs of compiler-generated members and types (<c>#1</c>, <c>#2</c>, ...), given by
/// order of first reference within one closure, so that an unrelated lambda that shifts
/// <c>&lt;M&gt;b__3_0</c> to <c>&lt;M&gt;b__4_0</c> changes nothing; and the queue of those still to
/// be rendered as sections of their own.
/// </summary>
internal sealed class CanonicalIds
{
    private readonly Dictionary<IMemberDefinition, int> _numbers = new(ReferenceEqualityComparer.Instance);
    private readonly Queue<IMemberDefinition> _pending = new();

    /// <summary>Told of every ID written into a builder, to record where it is (<see cref="ClosureTextWriter"/>).</summary>
    public ClosureTextWriter? Listener { get; set; }

    /// <summary>How many IDs were written so far (never reset): a text during which it did not move names no generated member.</summary>
    public long Written { get; private set; }

    public void Clear()
    {
        _numbers.Clear();
        _pending.Clear();
    }

    /// <summary>Writes <c>#n</c> for a member, numbering it (and, if <paramref name="render"/>, queuing it) the first time.</summary>
    /// <param name="render">Queue it to be rendered as a section of its own (a generated type, or a lambda
    /// that lives in a user type or in <c>&lt;&gt;c</c>); members of closure and state machine types are
    /// rendered with their type and only named here.</param>
    public StringBuilder Append(IMemberDefinition member, bool render, StringBuilder builder)
    {
        if (!_numbers.TryGetValue(member, out int number))
        {
            number = _numbers.Count + 1;
            _numbers.Add(member, number);
            if (render)
                _pending.Enqueue(member);
        }
        Written++;
        int start = builder.Length;
        builder.Append('#').Append(number.ToString(CultureInfo.InvariantCulture));
        Listener?.IdWritten(builder, start, number);
        return builder;
    }

    /// <summary>Writes the ID of a member already numbered.</summary>
    public StringBuilder AppendKnown(IMemberDefinition member, StringBuilder builder)
    {
        if (!_numbers.ContainsKey(member))
            throw new InvalidOperationException(member.FullName + " has no canonical ID yet");
        return Append(member, render: false, builder);
    }

    /// <summary>The next member queued for rendering, in order of first reference.</summary>
    public bool TryDequeue(out IMemberDefinition member) => _pending.TryDequeue(out member!);
}
