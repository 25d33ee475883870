namespace PatchGen.Diff;

/// <summary>
/// <c>#if</c>, <c>#elif</c>, <c>#else</c> and <c>#endif</c> as <see cref="SourceLocator"/>'s parse takes them: with no
/// symbol defined (its parse options define none), so that <see cref="MemberBodyBlanker"/> reads as code exactly the
/// text the parser does, and skips the rest as the parser does (disabled text need not even be code).
/// </summary>
internal sealed class ConditionalDirectives
{
    private readonly Stack<(bool ParentActive, bool Taken, bool Active)> _groups = new();

    /// <summary>Whether the text after the directives read so far is code.</summary>
    public bool Active => _groups.Count == 0 || _groups.Peek().Active;

    /// <summary>Whether a directive (the text after its '#') is one of the four.</summary>
    public static bool IsConditional(ReadOnlySpan<char> directive)
    {
        var name = Name(directive);
        return name is "if" or "elif" or "else" or "endif";
    }

    /// <summary>Applies a directive (the text after its '#'). False for one this does not follow (<c>#define</c>, <c>#undef</c>, a malformed condition).</summary>
    public bool Apply(ReadOnlySpan<char> directive)
    {
        var name = Name(directive);
        var rest = directive.TrimStart(" \t")[name.Length..];
        switch (name)
        {
            case "if":
            {
                if (!Evaluate(rest, out bool value))
                    return false;
                _groups.Push((Active, value, Active && value));
                return true;
            }
            case "elif":
            {
                if (_groups.Count == 0 || !Evaluate(rest, out bool value))
                    return false;
                var (parent, taken, _) = _groups.Pop();
                _groups.Push((parent, taken || value, parent && !taken && value));
                return true;
            }
            case "else":
            {
                if (_groups.Count == 0)
                    return false;
                var (parent, taken, _) = _groups.Pop();
                _groups.Push((parent, true, parent && !taken));
                return true;
            }
            case "endif":
                return _groups.TryPop(out _);
            default:
                // A symbol defined in the file would change what is code; other directives do not.
                return name is not ("define" or "undef");
        }
    }

    private static ReadOnlySpan<char> Name(ReadOnlySpan<char> directive)
    {
        directive = directive.TrimStart(" \t");
        int end = 0;
        while (end < directive.Length && char.IsLetter(directive[end]))
            end++;
        return directive[..end];
    }

    /// <summary>A condition with no symbol defined: <c>||</c>, <c>&amp;&amp;</c>, <c>==</c>, <c>!=</c>, <c>!</c>, parentheses, <c>true</c>, <c>false</c>, names.</summary>
    private static bool Evaluate(ReadOnlySpan<char> condition, out bool value)
    {
        int comment = condition.IndexOf("//");
        var parser = new ConditionParser(comment >= 0 ? condition[..comment] : condition);
        return parser.Or(out value) && parser.AtEnd;
    }

    private ref struct ConditionParser(ReadOnlySpan<char> text)
    {
        private readonly ReadOnlySpan<char> _text = text;
        private int _position;

        public bool AtEnd
        {
            get
            {
                SkipSpaces();
                return _position == _text.Length;
            }
        }

        public bool Or(out bool value)
        {
            if (!And(out value))
                return false;
            while (Take("||"))
            {
                if (!And(out bool right))
                    return false;
                value |= right;
            }
            return true;
        }

        private bool And(out bool value)
        {
            if (!Equality(out value))
                return false;
            while (Take("&&"))
            {
                if (!Equality(out bool right))
                    return false;
                value &= right;
            }
            return true;
        }

        private bool Equality(out bool value)
        {
            if (!Unary(out value))
                return false;
            while (true)
            {
                bool equals = Take("==");
                if (!equals && !Take("!="))
                    return true;
                if (!Unary(out bool right))
                    return false;
                value = equals ? value == right : value != right;
            }
        }

        private bool Unary(out bool value)
        {
            if (Take("!"))
            {
                if (!Unary(out value))
                    return false;
                value = !value;
                return true;
            }
            if (Take("("))
                return Or(out value) && Take(")");
            SkipSpaces();
            int start = _position;
            while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] == '_'))
                _position++;
            var name = _text[start.._position];
            value = name is "true";
            return name.Length > 0;
        }

        private bool Take(string token)
        {
            SkipSpaces();
            // "!" is not the start of "!=".
            if (!_text[_position..].StartsWith(token) || token == "!" && _text[_position..].StartsWith("!="))
                return false;
            _position += token.Length;
            return true;
        }

        private void SkipSpaces()
        {
            while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
                _position++;
        }
    }
}
