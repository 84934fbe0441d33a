using Microsoft.Playwright;
using Presence.Xmpp.Tests.Integration;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Presence.E2E.Tests;

/// <summary>The service with its XMPP component enabled against a private real Prosody.</summary>
public class XmppAppFixture : PresenceAppFixture
{
    public const string Service = ProsodyServer.ComponentJid;

    public ProsodyServer Prosody { get; private set; } = default!;

    public override async Task InitializeAsync()
    {
        Prosody = await ProsodyServer.StartAsync(new ProsodySettings(Users: "alice bob carol"));
        Settings["Presence:Xmpp:Enabled"] = "true";
        Settings["Presence:Xmpp:Domain"] = ProsodyServer.Domain;
        Settings["Presence:Xmpp:Host"] = "127.0.0.1";
        Settings["Presence:Xmpp:Port"] = Prosody.ComponentPort.ToString();
        Settings["Presence:Xmpp:Secret"] = Prosody.Secret;
        Settings["Presence:Xmpp:KeepaliveInterval"] = "00:00:01";
        Settings["Presence:Xmpp:KeepaliveTimeout"] = "00:00:02";
        Settings["Presence:Xmpp:ReconnectMinDelay"] = "00:00:00.200";
        Settings["Presence:Xmpp:ReconnectMaxDelay"] = "00:00:01";
        Settings["Presence:Xmpp:RepopulationQuietPeriod"] = "00:00:00.300";
        Settings["Presence:Xmpp:ReverseDnsTimeout"] = "00:00:01";
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Prosody is not null) await Prosody.DisposeAsync();
    }

    /// <summary>A slixmpp session that has added the component to its roster (consumer protocol step 1, tests/clients/xmpp_client.py).</summary>
    public async Task<XmppClientProcess> SubscribedClientAsync(string jid, string presence)
    {
        var client = await XmppClientProcess.StartAsync(jid, ProsodyServer.Password, Prosody.C2sPort);
        await client.RunAsync("approve-all");
        await client.RunAsync(presence);
        await client.RunAsync("subscribe " + Service);
        await client.WaitForAsync(e => e.Is("subscribed") && e.Str("from") == Service, "subscription approved by the component");
        return client;
    }
}

public sealed class XmppPresenceOnBoardTests(XmppAppFixture app, ITestOutputHelper output) : IClassFixture<XmppAppFixture>
{
    [Fact]
    public async Task AnXmppClientsPresenceChangeAppearsOnTheBoardWithinTwoSeconds()
    {
        var page = await app.NewPageAsync();
        await BrowserSession.RunAsync(page, output, async () =>
        {
            await BrowserSession.SignInAsync(page);
            await Expect(page.Locator("[data-xmpp-link]")).ToHaveAttributeAsync("data-xmpp-link", "online", new() { Timeout = 15_000 });
            await using var alice = await app.SubscribedClientAsync("alice@localhost/laptop", "presence online 5 at my desk");
            var row = page.Locator("tr.board-row[data-user='alice@localhost']");
            await Expect(row).ToHaveAttributeAsync("data-state", "available", new() { Timeout = 10_000 });
            await page.EvaluateAsync("() => window.__noReload = true");

            await alice.RunAsync("presence dnd 5 in a meeting");

            await Expect(row).ToHaveAttributeAsync("data-state", "busy", new() { Timeout = 2_000 });
            await Expect(row.Locator(".protocol[data-protocol='xmpp'] .protocol-message")).ToHaveTextAsync("in a meeting", new() { Timeout = 2_000 });
            await Expect(row.Locator(".protocol[data-protocol='xmpp'] .protocol-show")).ToHaveTextAsync("(dnd)");
            Assert.True(await page.EvaluateAsync<bool>("() => window.__noReload === true"), "the page reloaded");
            await BrowserSession.ScreenshotAsync(page, "board-xmpp");

            // This Prosody grants no XEP-0356 permission: the XMPP page says the component runs in subscription mode.
            await page.GotoAsync("/admin/xmpp");
            await Expect(page.Locator("[data-fact='presence-mode']")).ToContainTextAsync("subscription");
        });
    }
}

public sealed class XmppLinkLossOnBoardTests(XmppAppFixture app, ITestOutputHelper output) : IClassFixture<XmppAppFixture>
{
    [Fact]
    public async Task KillingProsodyMarksTheXmppRowsStale()
    {
        var page = await app.NewPageAsync();
        await BrowserSession.RunAsync(page, output, async () =>
        {
            await BrowserSession.SignInAsync(page);
            await using var bob = await app.SubscribedClientAsync("bob@localhost/desktop", "presence away 1 coffee");
            var row = page.Locator("tr.board-row[data-user='bob@localhost']");
            await Expect(row).ToHaveAttributeAsync("data-state", "away", new() { Timeout = 10_000 });
            await Expect(row).ToHaveAttributeAsync("data-stale", "false");

            // SIGKILL: the link drops without Prosody first sending every user's unavailable (a clean SIGTERM
            // shutdown does send them, and the users then are unavailable, not stale).
            await app.Prosody.KillAsync();

            await Expect(row).ToHaveAttributeAsync("data-stale", "true", new() { Timeout = 10_000 });
            await Expect(row.Locator(".row-annotation .annotation")).ToContainTextAsync("(server unavailable");
            await Expect(row.Locator(".row-annotation .annotation")).ToContainTextAsync("stale since");
            await Expect(row).ToHaveAttributeAsync("data-state", "away");
            await Expect(page.Locator("[data-xmpp-link]")).Not.ToHaveAttributeAsync("data-xmpp-link", "online");
            await BrowserSession.ScreenshotAsync(page, "board-stale");
        });
    }
}
