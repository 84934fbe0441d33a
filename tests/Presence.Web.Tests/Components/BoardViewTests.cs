using AngleSharp.Dom;
using Bunit;
using Presence.Domain.Model;
using Presence.Web.Components.Controls;
using Presence.Web.Model;
using Presence.Web.Tests.Support;
using static Presence.Web.Tests.Support.Presences;

namespace Presence.Web.Tests.Components;

/// <summary>The board's markup for given rows (no data source): what a person sees in each row, the counts and the empty states.</summary>
public sealed class BoardViewTests : DashboardContext
{
    private IRenderedComponent<BoardView> RenderBoard(BoardQuery? query, params UserPresence[] users)
    {
        var model = new BoardViewModel();
        model.Load(users);
        if (query is not null) model.Query = query;
        return Ctx.Render<BoardView>(p => p
            .Add(b => b.Counts, model.Counts)
            .Add(b => b.Rows, model.Rows)
            .Add(b => b.Query, model.Query));
    }

    private IRenderedComponent<BoardView> RenderBoard(params UserPresence[] users) => RenderBoard(null, users);

    private static IElement Row(IRenderedComponent<BoardView> board, string user) =>
        board.FindAll($"tr.board-row[data-user='{user}']").SingleOrDefault()
        ?? throw new Xunit.Sdk.XunitException($"no row for {user} in:\n{board.Markup}");

    [Theory]
    [InlineData(PresenceState.Available, "Available", "success")]
    [InlineData(PresenceState.Busy, "Busy", "error")]
    [InlineData(PresenceState.Away, "Away", "warning")]
    [InlineData(PresenceState.Unavailable, "Unavailable", "default")]
    public void ARowShowsItsStateInWordsWithAnIconAndColour(PresenceState state, string words, string colour)
    {
        var board = RenderBoard(Spreed("alice@example.com", state, "in the office"));

        var row = Row(board, "alice@example.com");
        var badge = row.QuerySelector(".state-badge")!;
        Assert.Equal(state.ToWire(), row.GetAttribute("data-state"));
        Assert.Equal(words, badge.TextContent.Trim());
        Assert.NotNull(badge.QuerySelector("svg"));
        Assert.Contains("mud-chip-color-" + colour, badge.ClassName);
    }

    [Fact]
    public void ARowShowsEachProtocolWithStatusShowMessageResourcesAndLastChange()
    {
        var user = XmppUser("bob@example.com", XmppShow.Xa, "gone fishing", resources: ["laptop", "phone"])
            .With(new ProtocolStatus(Protocols.Spreed, PresenceState.Busy, "weekly call", T0), T0);

        var board = RenderBoard(user);

        var row = Row(board, "bob@example.com");
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
    }

    [Fact]
    public void EachRowLinksToTheUsersPage()
    {
        var board = RenderBoard(Spreed("bob@example.com", PresenceState.Busy));

        Assert.Equal("users/bob%40example.com", Row(board, "bob@example.com").QuerySelector("td.user a")!.GetAttribute("href"));
    }

    [Fact]
    public void AnAnnotatedRowSaysStaleSinceWithTheReason()
    {
        var board = RenderBoard(
            XmppUser("carol@example.com", XmppShow.Online, annotation: LinkLost(T0.AddMinutes(5))),
            XmppUser("dave@example.com", XmppShow.Online));

        var stale = Row(board, "carol@example.com");
        var current = Row(board, "dave@example.com");
        Assert.Equal("true", stale.GetAttribute("data-stale"));
        Assert.Equal("stale since 2026-11-21 12:05:00 UTC (server unavailable: link to the XMPP server lost)",
            stale.QuerySelector(".row-annotation .annotation")!.TextContent);
        Assert.Contains("(stale)", stale.QuerySelector(".state-badge")!.TextContent);
        Assert.Equal("false", current.GetAttribute("data-stale"));
        Assert.Null(current.QuerySelector(".annotation"));
        Assert.Equal("current", current.QuerySelector(".row-annotation")!.TextContent.Trim());
    }

    [Fact]
    public void TheFilterChipsCountTheUsersOfEachStateAndTheStaleOnes()
    {
        var board = RenderBoard(
            Spreed("a@example.com", PresenceState.Available),
            Spreed("b@example.com", PresenceState.Busy),
            Spreed("c@example.com", PresenceState.Busy),
            XmppUser("d@example.com", XmppShow.Away, annotation: LinkLost(T0)),
            Unavailable("e@example.com"));

        string Count(string key) => board.Find($".board-counts [data-count='{key}'] .count-value").TextContent;
        Assert.Equal("5", Count("total"));
        Assert.Equal("1", Count("available"));
        Assert.Equal("2", Count("busy"));
        Assert.Equal("1", Count("away"));
        Assert.Equal("1", Count("unavailable"));
        Assert.Equal("1", Count("stale"));
        Assert.Equal("busy", board.Find(".board-counts [data-count='busy'] .count-label").TextContent);
    }

    [Fact]
    public void TheChipOfTheFilterInEffectIsPressedAndTheOthersAreNot()
    {
        var board = RenderBoard(new BoardQuery(Filter: BoardFilter.Busy), Spreed("b@example.com", PresenceState.Busy));

        Assert.Equal("true", board.Find("[data-count='busy']").GetAttribute("aria-pressed"));
        Assert.Equal("false", board.Find("[data-count='total']").GetAttribute("aria-pressed"));
        Assert.Equal("false", board.Find("[data-count='available']").GetAttribute("aria-pressed"));
    }

    [Fact]
    public void TheEmptyBoardSaysNoUsersAreKnownYet()
    {
        var board = RenderBoard();

        Assert.Empty(board.FindAll("tr.board-row"));
        Assert.Contains("No users known yet", board.Find("tr.empty-row").TextContent);
        Assert.Equal("0", board.Find(".board-counts [data-count='total'] .count-value").TextContent);
    }

    [Fact]
    public void ABoardWhoseFilterMatchesNobodySaysSo()
    {
        var board = RenderBoard(new BoardQuery(Filter: BoardFilter.Busy), Spreed("a@example.com", PresenceState.Available));

        Assert.Contains("No user matches", board.Find("tr.empty-row").TextContent);
        Assert.Equal("0 of 1 user", board.Find(".board-matching").TextContent.Trim());
    }

    [Fact]
    public void TheSortHeadersSayWhichColumnSortsAndInWhichDirection()
    {
        var board = RenderBoard(new BoardQuery(Sort: BoardSort.LastChange, Descending: true), Spreed("a@example.com", PresenceState.Available));

        Assert.Equal("descending", board.Find("th[data-sort='lastchange']").GetAttribute("aria-sort"));
        Assert.Equal("none", board.Find("th[data-sort='user']").GetAttribute("aria-sort"));
        Assert.Equal("none", board.Find("th[data-sort='state']").GetAttribute("aria-sort"));
    }

    [Fact]
    public void TheRowsFollowTheOrderOfTheQuery()
    {
        var board = RenderBoard(new BoardQuery(Sort: BoardSort.State),
            Unavailable("a@example.com"), Spreed("b@example.com", PresenceState.Away), Spreed("c@example.com", PresenceState.Available));

        Assert.Equal(["c@example.com", "b@example.com", "a@example.com"], board.FindAll("tr.board-row").Select(r => r.GetAttribute("data-user")));
    }
}
