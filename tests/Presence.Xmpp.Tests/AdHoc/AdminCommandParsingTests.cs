using System.Xml.Linq;
using Presence.Xmpp.AdHoc;

namespace Presence.Xmpp.Tests.AdHoc;

/// <summary>The XEP-0133 answers of Prosody and ejabberd, as captured from the real servers, parsed into sessions.</summary>
public sealed class AdminCommandParsingTests
{
    private static XElement Command(params (string Var, string[] Values)[] fields) =>
        new(XNamespace.Get("http://jabber.org/protocol/commands") + "command",
            new XElement(XNamespace.Get("jabber:x:data") + "x", new XAttribute("type", "result"),
                fields.Select(f => new XElement(XNamespace.Get("jabber:x:data") + "field", new XAttribute("var", f.Var),
                    f.Values.Select(v => new XElement(XNamespace.Get("jabber:x:data") + "value", v))))));

    [Fact]
    public void EjabberdsUserStatsPairResourcesWithTheirAddressesWithoutThePort()
    {
        var command = Command(("FORM_TYPE", ["http://jabber.org/protocol/admin"]), ("rostersize", ["0"]),
            ("ipaddresses", ["127.0.0.1:50124", "::ffff:10.0.0.7:40000"]), ("onlineresources", ["laptop", "phone"]));

        var sessions = UserStats.Parse("nick@localhost", command);

        Assert.Equal([new OnlineSession("nick@localhost", "laptop", "127.0.0.1"), new OnlineSession("nick@localhost", "phone", "10.0.0.7")], sessions);
    }

    [Fact]
    public void EjabberdsOnlineUsersListWithoutSessionsIsReportedAsNotGivingDetails()
    {
        var command = Command(("FORM_TYPE", ["http://jabber.org/protocol/admin"]), ("onlineuserjids", ["nick@localhost", "olga@localhost"]));

        var error = Assert.Throws<NotSupportedException>(() => OnlineSessions.Parse(command));
        Assert.Contains("without their sessions", error.Message);
    }

    [Fact]
    public void ProsodysOnlineUsersListGivesEachSessionsAddress()
    {
        var command = Command(("onlineuserjids", ["nick@localhost\n - laptop: chat(0), IP: [127.0.0.1]\n - phone: away(5), IP: [::1]"]));

        Assert.Equal([new OnlineSession("nick@localhost", "laptop", "127.0.0.1"), new OnlineSession("nick@localhost", "phone", "::1")], OnlineSessions.Parse(command));
    }
}
