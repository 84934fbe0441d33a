using AngleSharp.Dom;
using Presence.Domain.Model;
using Presence.Web.Components.Controls;
using Presence.Web.Model;
using Presence.Web.Tests.Support;
using Presence.Xmpp.Component;
using static Presence.Web.Tests.Support.Presences;

namespace Presence.Web.Tests.Components;

public sealed class BoardMarkupTests
{
    private static Task<IDocument> RenderBoard(params UserPresence[] users)
    {
        var model = new BoardViewModel();
        model.Load(users);
        return ComponentRenderer.RenderAsync<BoardView>(new Dictionary<string, object?>
        {
            [nameof(BoardView.Counts)] = model.Counts,
            [nameof(BoardView.Page)] = model.GetPage(0, 50),
            [nameof(BoardView.Query)] = model.Query,
        });
    }

    private static IElement Row(IDocument doc, string user) =>
        doc.QuerySelector($"tr.board-row[data-user='{user}']") ?? throw new Xunit.Sdk.XunitException($"no row for {user} in:\n{doc.Body!.InnerHtml}");

    [Theory]
    [InlineData(PresenceState.Available, "Available")]
    [InlineData(PresenceState.Busy, "Busy")]
    [InlineData(PresenceState.Away, "Away")]
    [InlineData(PresenceState.Unavailable, "Unavailable")]
    public async Task ARowShowsItsStateInWordsAndColour(PresenceState state, string words)
    {
        var doc = await RenderBoard(Spreed("alice@example.com", state, "in the office"));

        var row = Row(doc, "alice@example.com");
        var badge = row.QuerySelector(".state-badge")!;
        Assert.Equal(state.ToWire(), row.GetAttribute("data-state"));
        Assert.Equal(words, badge.TextContent.Trim());
        Assert.Contains("state-" + state.ToWire(), badge.ClassList);
        Assert.Contains("state-" + state.ToWire(), row.ClassList);
    }

    [Fact]
    public async Task ARowShowsEachProtocolWithStatusShowAndMessage()
    {
        var user = XmppUser("bob@example.com", XmppShow.Xa, "gone fishing", resources: ["laptop", "phone"])
            .With(new ProtocolStatus(Protocols.Spreed, PresenceState.Busy, "weekly call", T0), T0);

        var doc = await RenderBoard(user);

        var row = Row(doc, "bob@example.com");
        var xmpp = row.QuerySelector(".protocol[data-protocol='xmpp']")!;
        var spreed = row.QuerySelector(".protocol[data-protocol='spreed']")!;
        Assert.Equal("away", xmpp.QuerySelector(".protocol-state")!.TextContent);
        Assert.Equal("(xa)", xmpp.QuerySelector(".protocol-show")!.TextContent);
        Assert.Equal("gone fishing", xmpp.QuerySelector(".protocol-message")!.TextContent);
        Assert.Equal("busy", spreed.QuerySelector(".protocol-state")!.TextContent);
        Assert.Equal("weekly call", spreed.QuerySelector(".protocol-message")!.TextContent);
        Assert.Equal("2", row.QuerySelector(".resources")!.TextContent.Trim());
        Assert.Equal("busy", row.GetAttribute("data-state"));
        Assert.Equal("2026-11-21 12:00:00 UTC", row.QuerySelector(".last-change time")!.TextContent);
        Assert.Equal("users/bob%40example.com", row.QuerySelector("td.user a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task AnAnnotatedRowSaysStaleSinceWithTheReason()
    {
        var doc = await RenderBoard(
            XmppUser("carol@example.com", XmppShow.Online, annotation: LinkLost(T0.AddMinutes(5))),
            XmppUser("dave@example.com", XmppShow.Online));

        var stale = Row(doc, "carol@example.com");
        var current = Row(doc, "dave@example.com");
        Assert.Equal("true", stale.GetAttribute("data-stale"));
        Assert.Equal("stale since 2026-11-21 12:05:00 UTC (server unavailable: link to the XMPP server lost)",
            stale.QuerySelector(".row-annotation .annotation")!.TextContent);
        Assert.Equal("server-unavailable", stale.QuerySelector(".row-annotation .annotation")!.GetAttribute("data-annotation"));
        Assert.Contains("(stale)", stale.QuerySelector(".state-badge")!.TextContent);
        Assert.Equal("false", current.GetAttribute("data-stale"));
        Assert.Null(current.QuerySelector(".annotation"));
        Assert.Equal("current", current.QuerySelector(".row-annotation")!.TextContent.Trim());
    }

    [Fact]
    public async Task TheCountsShowUsersPerStateAndStale()
    {
        var doc = await RenderBoard(
            Spreed("a@example.com", PresenceState.Available),
            Spreed("b@example.com", PresenceState.Busy),
            Spreed("c@example.com", PresenceState.Busy),
            XmppUser("d@example.com", XmppShow.Away, annotation: LinkLost(T0)),
            Unavailable("e@example.com"));

        string Count(string key) => doc.QuerySelector($".board-counts [data-count='{key}'] .count-value")!.TextContent;
        Assert.Equal("5", Count("total"));
        Assert.Equal("1", Count("available"));
        Assert.Equal("2", Count("busy"));
        Assert.Equal("1", Count("away"));
        Assert.Equal("1", Count("unavailable"));
        Assert.Equal("1", Count("stale"));
        Assert.Equal("busy", doc.QuerySelector(".board-counts [data-count='busy'] .count-label")!.TextContent);
    }

    [Fact]
    public async Task TheEmptyBoardSaysNoUsersAreKnownYet()
    {
        var doc = await RenderBoard();

        Assert.Empty(doc.QuerySelectorAll("tr.board-row"));
        Assert.Contains("No users known yet", doc.QuerySelector("tr.empty-row")!.TextContent);
        Assert.Equal("0", doc.QuerySelector(".board-counts [data-count='total'] .count-value")!.TextContent);
        Assert.Contains("Page 1 of 1", doc.QuerySelector(".pager-summary")!.TextContent);
    }

    [Fact]
    public async Task ABoardWhoseFilterMatchesNobodySaysSo()
    {
        var model = new BoardViewModel();
        model.Load([Spreed("a@example.com", PresenceState.Available)]);
        model.Query = new BoardQuery(Filter: BoardFilter.Busy);

        var doc = await ComponentRenderer.RenderAsync<BoardView>(new Dictionary<string, object?>
        {
            [nameof(BoardView.Counts)] = model.Counts,
            [nameof(BoardView.Page)] = model.GetPage(0, 50),
            [nameof(BoardView.Query)] = model.Query,
        });

        Assert.Contains("No user matches", doc.QuerySelector("tr.empty-row")!.TextContent);
    }

    [Fact]
    public async Task TheHeaderSaysXmppDisabledWithoutTheComponent()
    {
        var doc = await ComponentRenderer.RenderAsync<XmppLinkBadge>(new Dictionary<string, object?>());

        Assert.Equal("XMPP disabled", doc.QuerySelector("[data-xmpp-link]")!.TextContent.Trim());
    }

    [Fact]
    public async Task TheHeaderShowsTheXmppLinkState()
    {
        var link = new XmppLinkSnapshot(XmppLinkState.Backoff, T0, 3, "connection refused", 10, 12, 0, false);

        var doc = await ComponentRenderer.RenderAsync<XmppLinkBadge>(new Dictionary<string, object?> { ["Link"] = link });

        var badge = doc.QuerySelector("[data-xmpp-link]")!;
        Assert.Equal("backoff", badge.GetAttribute("data-xmpp-link"));
        Assert.Equal("XMPP waiting to reconnect", badge.TextContent.Trim());
        Assert.Contains("connection refused", badge.GetAttribute("title"));
    }
}
