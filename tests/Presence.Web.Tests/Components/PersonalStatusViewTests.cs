using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Components.Controls;
using Presence.Web.Components.Pages;
using Presence.Web.Model;
using Presence.Web.Tests.Support;
using static Presence.Web.Tests.Support.Presences;

namespace Presence.Web.Tests.Components;

/// <summary>The preferred presence, status message, "since" and "last seen" on the board row and the user page.</summary>
public sealed class PersonalStatusViewTests : DashboardContext
{
    private static readonly DateTimeOffset Until = new(2026, 11, 21, 14, 0, 0, TimeSpan.Zero);

    private IElement BoardRow(params UserPresence[] users)
    {
        var model = new BoardViewModel();
        model.Load(users);
        var board = Ctx.Render<BoardView>(p => p.Add(b => b.Counts, model.Counts).Add(b => b.Rows, model.Rows).Add(b => b.Query, model.Query));
        return board.Find($"tr.board-row[data-user='{users[0].User.Value}']");
    }

    private static UserPresence WithPreferredAndMessage(PresenceState preferred, DateTimeOffset at) =>
        Spreed("pat@example.com", PresenceState.Available, "in a call")
            .With(new ProtocolStatus(Protocols.Preferred, preferred, "", at, Until: Until), at)
            .With(new ProtocolStatus(Protocols.StatusMessage, PresenceState.Unavailable, "Release day", at, Until: Until.AddDays(1)), at);

    [Fact]
    public void ABoardRowShowsThePreferredPresenceWithItsEndTheStatusMessageAndSince()
    {
        var set = T0.AddMinutes(30);
        var row = BoardRow(WithPreferredAndMessage(PresenceState.Busy, set));

        Assert.Equal("busy", row.GetAttribute("data-state"));
        Assert.Equal("busy until 2026-11-21 14:00:00 UTC, set by the user", row.QuerySelector(".preferred")!.TextContent);
        Assert.Equal("“Release day” until 2026-11-22 14:00:00 UTC", row.QuerySelector("[data-status-message]")!.TextContent);
        Assert.Equal("since 2026-11-21 12:30:00 UTC", row.QuerySelector("[data-since]")!.TextContent.Trim());
        Assert.Null(row.QuerySelector("[data-row-last-seen]")); // not unavailable
        Assert.Equal(["spreed"], row.QuerySelectorAll(".protocol").Select(p => p.GetAttribute("data-protocol")));
    }

    [Fact]
    public void AnUnavailableRowSaysWhenTheUserWasLastSeenAndAppearingOfflineIsNamed()
    {
        var seen = Spreed("quinn@example.com", PresenceState.Available, at: T0)
            .With(new ProtocolStatus(Protocols.Spreed, PresenceState.Unavailable, "", T0.AddHours(1)), T0.AddHours(1));
        var row = BoardRow(seen);
        Assert.Equal("last seen 2026-11-21 13:00:00 UTC", row.QuerySelector("[data-row-last-seen]")!.TextContent.Trim());
        Assert.Equal("since 2026-11-21 13:00:00 UTC", row.QuerySelector("[data-since]")!.TextContent.Trim());

        var offline = BoardRow(WithPreferredAndMessage(PresenceState.Unavailable, T0.AddMinutes(5)));
        Assert.Equal("unavailable", offline.GetAttribute("data-state"));
        Assert.StartsWith("appearing offline until 2026-11-21 14:00:00 UTC", offline.QuerySelector(".preferred")!.TextContent);
    }

    [Fact]
    public void TheUserDetailShowsThePreferredPresenceStatusMessageSinceAndLastSeen()
    {
        var presence = WithPreferredAndMessage(PresenceState.Away, T0.AddMinutes(10));
        var detail = Ctx.Render<UserPresenceDetail>(p => p.Add(d => d.Presence, presence));

        Assert.Equal("away", detail.Find(".user-detail").GetAttribute("data-state"));
        Assert.Equal("away until 2026-11-21 14:00:00 UTC, set by the user", detail.Find(".personal-status .preferred").TextContent);
        Assert.Contains("Release day", detail.Find(".personal-status [data-status-message]").TextContent);
        Assert.Equal("since 2026-11-21 12:10:00 UTC", detail.Find(".personal-status [data-since]").TextContent.Trim());
        Assert.Equal("online now", detail.Find("[data-last-seen]").TextContent.Trim());
        Assert.Empty(detail.FindAll(".protocols-table tr[data-protocol='preferred'], .protocols-table tr[data-protocol='status-message']"));

        var gone = Spreed("rae@example.com", PresenceState.Away, at: T0).With(new ProtocolStatus(Protocols.Spreed, PresenceState.Unavailable, "", T0.AddHours(2)), T0.AddHours(2));
        detail = Ctx.Render<UserPresenceDetail>(p => p.Add(d => d.Presence, gone));
        Assert.Equal("last seen 2026-11-21 14:00:00 UTC", detail.Find("[data-last-seen]").TextContent.Trim());
    }
}

/// <summary>The user page's history says which source set each state, and when a preferred presence ended.</summary>
public sealed class PersonalStatusHistoryTests : DashboardContext, IClassFixture<AppFixture>
{
    private readonly AppFixture _app;

    public PersonalStatusHistoryTests(AppFixture app)
    {
        _app = app;
        Time.SetUtcNow(DateTimeOffset.UtcNow);
        Ctx.Services.AddSingleton(app.Tracker);
        Ctx.Services.AddSingleton(app.Services.GetRequiredService<UserHistory>());
        Ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public async Task TheHistoryListsThePreferredPresenceAndItsEnd()
    {
        var user = UserId.Parse("histpref@example.com");
        await _app.ApplyAsync(
            new ProtocolStatusUpdate(user, Protocols.Spreed, PresenceState.Available, "here"),
            new PersonalStatusUpdate(user, Protocols.Preferred, PresenceState.Busy, "focus", DateTimeOffset.UtcNow.AddHours(1)),
            new ClearStatusUpdate(user, Protocols.Preferred));

        var page = Ctx.Render<UserPage>(p => p.Add(u => u.User, user.Value));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".history-table tr.history-row.protocol-preferred").Count));
        var rows = page.FindAll(".history-table tr.history-row.protocol-preferred");
        Assert.Equal("ended", rows[0].QuerySelector("[data-cleared]")!.TextContent);
        Assert.Equal("api", rows[0].QuerySelector("td.cause")!.TextContent);
        Assert.Contains("Busy", rows[1].QuerySelector(".state-badge")!.TextContent);
        Assert.Equal("focus", rows[1].QuerySelector("td.message")!.TextContent);
    }
}
