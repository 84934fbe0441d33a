using System.Xml.Linq;
using Presence.Xmpp.Component;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.AdHoc;

/// <summary>
/// XEP-0133 §4.9 "Get User Statistics" executed as server admin for one user (XEP-0050: execute, then submit the form
/// with <c>accountjid</c>). ejabberd answers the text-multi fields <c>onlineresources</c> and <c>ipaddresses</c> in the same
/// order, one value per session, addresses written <c>ip:port</c> (<c>mod_configure</c>); this is how the component learns
/// session IPs on ejabberd, which has no online-users-list command with details.
/// </summary>
public static class UserStats
{
    /// <summary>The command node.</summary>
    public const string Node = Namespaces.Admin + "#user-stats";

    /// <summary>Runs the command for <paramref name="bareJid"/> against <paramref name="server"/>.</summary>
    /// <returns>One <see cref="OnlineSession"/> per online resource; <see cref="OnlineSession.Ip"/> <c>null</c> when not given.</returns>
    /// <exception cref="XmppIqErrorException">The server refused (e.g. <c>forbidden</c> when the component is not an admin).</exception>
    /// <exception cref="XmppIqTimeoutException">No answer in time.</exception>
    public static async Task<IReadOnlyList<OnlineSession>> QueryAsync(IIqRequester link, string server, string bareJid, TimeSpan timeout)
    {
        var first = await link.RequestAsync(IqType.Set, server,
            new XElement(Namespaces.Commands + "command", new XAttribute("node", Node), new XAttribute("action", "execute")), timeout).ConfigureAwait(false);
        if (first.Type == IqType.Error) throw new XmppIqErrorException(first.Error!, server);
        var sessionId = (string?)first.Element.Element(Namespaces.Commands + "command")?.Attribute("sessionid");
        var submit = new XElement(Namespaces.Commands + "command", new XAttribute("node", Node),
            new XElement(Namespaces.DataForms + "x", new XAttribute("type", "submit"),
                Field("FORM_TYPE", Namespaces.Admin), Field("accountjid", bareJid)));
        if (sessionId is not null) submit.SetAttributeValue("sessionid", sessionId);
        var second = await link.RequestAsync(IqType.Set, server, submit, timeout).ConfigureAwait(false);
        if (second.Type == IqType.Error) throw new XmppIqErrorException(second.Error!, server);
        return Parse(bareJid, second.Element.Element(Namespaces.Commands + "command"));
    }

    /// <summary>Pairs the <c>onlineresources</c> and <c>ipaddresses</c> values by position.</summary>
    public static IReadOnlyList<OnlineSession> Parse(string bareJid, XElement? command)
    {
        var fields = command?.Element(Namespaces.DataForms + "x")?.Elements(Namespaces.DataForms + "field").ToList() ?? [];
        List<string> Values(string var) => fields.Where(f => (string?)f.Attribute("var") == var)
            .SelectMany(f => f.Elements(Namespaces.DataForms + "value")).SelectMany(v => v.Value.Split('\n'))
            .Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
        var resources = Values("onlineresources");
        var addresses = Values("ipaddresses");
        var result = new List<OnlineSession>(resources.Count);
        for (var i = 0; i < resources.Count; i++)
            result.Add(new OnlineSession(bareJid, resources[i], i < addresses.Count ? StripPort(addresses[i]) : null));
        return result;
    }

    // "127.0.0.1:50124", "::1:50124", "[::1]:50124" → the address without the port.
    private static string? StripPort(string address)
    {
        var colon = address.LastIndexOf(':');
        if (colon <= 0) return address.Length == 0 ? null : address;
        var ip = address[..colon].Trim('[', ']');
        if (ip.StartsWith("::ffff:", StringComparison.OrdinalIgnoreCase) && ip.Count(c => c == '.') == 3) ip = ip[7..];
        return ip.Length == 0 ? null : ip;
    }

    private static XElement Field(string var, string value) =>
        new(Namespaces.DataForms + "field", new XAttribute("var", var), new XElement(Namespaces.DataForms + "value", value));
}
