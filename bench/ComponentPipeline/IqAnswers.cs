using System.Text;

namespace ComponentPipeline;

/// <summary>Looks at the first bytes after an iq request's start tag (to count publishes and retracts).</summary>
internal delegate void IqPayloadVisitor(ReadOnlySpan<byte> afterStartTag);

/// <summary>
/// The benches' cheap server side of XEP-0114: finds the component's iq requests by a byte scan (no XML parsing, so the
/// server costs little) and answers each with an empty <c>result</c>.
/// </summary>
internal static class IqAnswers
{
    /// <summary>
    /// Scans <paramref name="received"/> for complete iq start tags of type get or set, appends a result for each to
    /// <paramref name="answers"/>, and returns how many bytes were consumed (the rest is an incomplete tag, kept for the
    /// next read).
    /// </summary>
    public static int Scan(ReadOnlySpan<byte> received, StringBuilder answers, IqPayloadVisitor? onRequest = null)
    {
        var consumed = 0;
        while (true)
        {
            var rest = received[consumed..];
            var start = rest.IndexOf("<iq "u8);
            if (start < 0) return Math.Max(consumed, received.Length - 3);
            var tagEnd = rest[start..].IndexOf((byte)'>');
            if (tagEnd < 0) return consumed + start;
            var tag = rest.Slice(start, tagEnd);
            consumed += start + tagEnd + 1;
            if (tag.IndexOf("type='get'"u8) < 0 && tag.IndexOf("type='set'"u8) < 0) continue; // the component's own answers
            var id = tag[(tag.IndexOf(" id='"u8) + 5)..];
            id = id[..id.IndexOf((byte)'\'')];
            var toAt = tag.IndexOf(" to='"u8);
            var to = toAt < 0 ? "localhost"u8 : tag[(toAt + 5)..];
            if (toAt >= 0) to = to[..to.IndexOf((byte)'\'')];
            onRequest?.Invoke(rest[(start + tagEnd)..]);
            answers.Append("<iq type='result' id='").Append(Encoding.UTF8.GetString(id)).Append("' from='").Append(Encoding.UTF8.GetString(to))
                .Append("' to='pubpresence.localhost'/>");
        }
    }
}
