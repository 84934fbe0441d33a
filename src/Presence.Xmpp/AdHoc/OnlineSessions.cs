using System.Xml.Linq;
using Presence.Xmpp.Component;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.AdHoc;

/// <summary>
/// XEP-0133 §4.21 "Get List of Online Users" executed as server admin (XEP-0050 two steps: execute, then submit the
/// form with <c>max_items=all</c> and <c>details=1</c>). Prosody answers one text-multi value per line:
/// <c>user@domain</c> followed by <c> - resource: show(priority), IP: [addr]</c> lines for its sessions.
/// </summary>
public static class OnlineSessions
{
    /// <summary>The command node.</summary>
    public const string Node = Namespaces.Admin + "#get-online-users-list";

    /// <summary>Runs the command against <paramref name="server"/> (the server's domain).</summary>
    /// <exception cref="XmppIqErrorException">The server refused (e.g. <c>forbidden</c> when the component is not an admin).</exception>
    /// <exception cref="NotSupportedException">The server listed users without their sessions (ejabberd ignores <c>details</c>).</exception>
    /// <exception cref="XmppIqTimeoutException">No answer in time.</exception>
    public static async Task<IReadOnlyList<OnlineSession>> QueryAsync(IIqRequester link, string server, TimeSpan timeout)
    {
        var first = await link.RequestAsync(IqType.Set, server,
            new XElement(Namespaces.Commands + "command", new XAttribute("node", Node), new XAttribute("action", "execute")), timeout).ConfigureAwait(false);
        ThrowIfError(first, server);
        var command = first.Element.Element(Namespaces.Commands + "command");
        if (command is not null && (string?)command.Attribute("status") == "completed") return Parse(command);
        var sessionId = (string?)command?.Attribute("sessionid");
        var submit = new XElement(Namespaces.Commands + "command", new XAttribute("node", Node),
            new XElement(Namespaces.DataForms + "x", new XAttribute("type", "submit"),
                Field("FORM_TYPE", Namespaces.Admin), Field("max_items", "all"), Field("details", "1")));
        if (sessionId is not null) submit.SetAttributeValue("sessionid", sessionId);
        var second = await link.RequestAsync(IqType.Set, server, submit, timeout).ConfigureAwait(false);
        ThrowIfError(second, server);
        return Parse(second.Element.Element(Namespaces.Commands + "command"));
    }

    /// <summary>Parses the result form's <c>onlineuserjids</c> lines; unparseable lines are skipped.</summary>
    /// <exception cref="NotSupportedException">Users are listed but none with session details.</exception>
    public static IReadOnlyList<OnlineSession> Parse(XElement? command)
    {
        var users = 0;
        var result = new List<OnlineSession>();
        var field = command?.Element(Namespaces.DataForms + "x")?.Elements(Namespaces.DataForms + "field")
            .FirstOrDefault(f => (string?)f.Attribute("var") == "onlineuserjids");
        if (field is null) return result;
        string? user = null;
        foreach (var value in field.Elements(Namespaces.DataForms + "value"))
        {
            foreach (var raw in value.Value.Split('\n'))
            {
                var line = raw.TrimEnd();
                if (line.Length == 0) continue;
                if (!line.StartsWith(" - ", StringComparison.Ordinal)) { user = line.Trim(); users++; continue; }
                if (user is null) continue;
                if (ParseSession(user, line[3..]) is { } s) result.Add(s);
            }
        }
        if (users > 0 && result.Count == 0 && !field.Elements(Namespaces.DataForms + "value").Any(v => v.Value.Contains("\n - ", StringComparison.Ordinal)))
            throw new NotSupportedException("the server lists online users without their sessions");
        return result;
    }

    // "resource: show(priority), IP: [addr]" — the resource may itself contain ": ", so parse from the end.
    private static OnlineSession? ParseSession(string user, string text)
    {
        var ipAt = text.LastIndexOf(", IP: [", StringComparison.Ordinal);
        if (ipAt < 0 || !text.EndsWith(']')) return null;
        var ip = text[(ipAt + 7)..^1];
        var head = text[..ipAt];
        var colon = head.LastIndexOf(": ", StringComparison.Ordinal);
        if (colon <= 0) return null;
        var resource = head[..colon];
        return new OnlineSession(user, resource, ip is "" or "<unknown>" ? null : ip);
    }

    private static void ThrowIfError(IqStanza answer, string server)
    {
        if (answer.Type == IqType.Error) throw new XmppIqErrorException(answer.Error!, server);
    }

    private static XElement Field(string var, string value) =>
        new(Namespaces.DataForms + "field", new XAttribute("var", var), new XElement(Namespaces.DataForms + "value", value));
}
