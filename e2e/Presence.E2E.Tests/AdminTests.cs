using System.Net;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Presence.E2E.Tests;

public sealed class AdminTests(PresenceAppFixture app, ITestOutputHelper output) : IClassFixture<PresenceAppFixture>
{
    [Fact]
    public async Task AnApiClientsTokenWorksUntilTheAdminRevokesIt()
    {
        var page = await app.NewPageAsync();
        using var http = app.NewHttpClient();
        await BrowserSession.RunAsync(page, output, async () =>
        {
            await BrowserSession.SignInAsync(page);
            await page.GetByRole(AriaRole.Link, new() { Name = "API clients" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API clients" })).ToBeVisibleAsync();
            await BrowserSession.WaitInteractiveAsync(page);

            await page.GetByRole(AriaRole.Button, new() { Name = "New client" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await dialog.GetByLabel("Client name").FillAsync("meeting-server");
            // MudCheckBox's checked state comes back from the server after the click: click its label (with the
            // actionability checks, so not while the dialog still moves in), then wait for the state (CheckAsync demands
            // the change at once and failed when the round trip was slow; a forced click during the opening animation
            // once landed beside the dialog).
            var writeOwn = dialog.GetByLabel("write-own");
            await dialog.GetByText("write-own", new() { Exact = true }).ClickAsync();
            await Expect(writeOwn).ToBeCheckedAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Create client" }).ClickAsync();
            var secret = (await page.Locator("[data-secret]").TextContentAsync())!.Trim();
            Assert.NotEmpty(secret);
            await Expect(page.Locator("tr[data-client='meeting-server']")).ToHaveAttributeAsync("data-status", "active");
            await BrowserSession.ScreenshotAsync(page, "api-clients-secret");
            await page.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
            await Expect(page.Locator("[data-secret]")).ToHaveCountAsync(0);

            await page.GetByLabel("User for test tokens").FillAsync("carol@example.com");
            await page.Locator("tr[data-client='meeting-server']").GetByRole(AriaRole.Button, new() { Name = "Test token" }).ClickAsync();
            var token = (await page.Locator("[data-token]").TextContentAsync())!.Trim();
            Assert.EndsWith(":carol@example.com:" + token.Split(':')[^1], token);
            await page.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
            await BrowserSession.ScreenshotAsync(page, "api-clients");

            using (var accepted = await PresenceApi.RestPutAsync(http, token, "carol@example.com", "spreed", "available", "via client"))
            {
                Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            }

            var row = page.Locator("tr[data-client='meeting-server']");
            await row.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
            await Expect(row).ToHaveAttributeAsync("data-status", "revoked");

            using (var refused = await PresenceApi.RestPutAsync(http, token, "carol@example.com", "spreed", "busy", "after revoke"))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            }

            await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
            await Expect(page.Locator("tr[data-action='api-client.create']")).ToContainTextAsync("meeting-server");
            await Expect(page.Locator("tr[data-action='api-client.test-token']")).ToContainTextAsync("carol@example.com");
            await Expect(page.Locator("tr[data-action='api-client.revoke']")).ToContainTextAsync(PresenceAppFixture.AdminUser);
        });
    }

    [Fact]
    public async Task AnAdminCreatesAViewerWhoChoosesAPasswordAndSeesTheBoardButNoAdminPage()
    {
        var admin = await app.NewPageAsync();
        string oneTime = "";
        await BrowserSession.RunAsync(admin, output, async () =>
        {
            await BrowserSession.SignInAsync(admin);
            await admin.GetByRole(AriaRole.Link, new() { Name = "Accounts" }).ClickAsync();
            await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Accounts" })).ToBeVisibleAsync();
            await BrowserSession.WaitInteractiveAsync(admin);

            await admin.GetByRole(AriaRole.Button, new() { Name = "New account" }).ClickAsync();
            var dialog = admin.GetByRole(AriaRole.Dialog);
            await dialog.GetByLabel("User name").FillAsync("vic.viewer");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
            oneTime = (await admin.Locator("[data-secret]").TextContentAsync())!.Trim();
            Assert.Equal(20, oneTime.Length);
            await BrowserSession.ScreenshotAsync(admin, "accounts-one-time-password");
            await admin.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
            await Expect(admin.Locator("tr[data-account='vic.viewer']")).ToHaveAttributeAsync("data-role", "viewer");
        });

        var viewer = await app.NewPageAsync();
        await BrowserSession.RunAsync(viewer, output, async () =>
        {
            await viewer.GotoAsync("/");
            await viewer.GetByLabel("User name").FillAsync("vic.viewer");
            await viewer.GetByLabel("Password").FillAsync(oneTime);
            await viewer.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(viewer.GetByRole(AriaRole.Heading, new() { Name = "Change password" })).ToBeVisibleAsync();
            await viewer.GetByLabel("Current password").FillAsync(oneTime);
            await viewer.GetByLabel("New password", new() { Exact = true }).FillAsync("Vic-Passw0rd-chosen");
            await viewer.GetByLabel("New password again").FillAsync("Vic-Passw0rd-chosen");
            await viewer.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
            await viewer.GetByRole(AriaRole.Link, new() { Name = "Continue" }).ClickAsync();

            await Expect(viewer.GetByRole(AriaRole.Heading, new() { Name = "Presence board" })).ToBeVisibleAsync();
            await BrowserSession.WaitInteractiveAsync(viewer);
            await Expect(viewer.GetByRole(AriaRole.Link, new() { Name = "API clients" })).ToHaveCountAsync(0);
            await viewer.GotoAsync("/admin/users");
            await Expect(viewer).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
            await Expect(viewer.Locator(".access-denied")).ToContainTextAsync("You are signed in as vic.viewer, whose account may not open that page");
        });
    }

    [Fact]
    public async Task CreatingAClientWithoutANameSaysWhatIsMissing()
    {
        var page = await app.NewPageAsync();
        await BrowserSession.RunAsync(page, output, async () =>
        {
            await BrowserSession.SignInAsync(page);
            await page.GotoAsync("/admin/clients");
            await BrowserSession.WaitInteractiveAsync(page);

            await page.GetByRole(AriaRole.Button, new() { Name = "New client" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Create client" }).ClickAsync();

            await Expect(page.GetByRole(AriaRole.Dialog).Locator("[data-admin-error]")).ToContainTextAsync("name must be 1 to 100 characters");
            await Expect(page.Locator("[data-secret]")).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task TheXmppLinkPageSaysTheComponentIsDisabled()
    {
        var page = await app.NewPageAsync();
        await BrowserSession.RunAsync(page, output, async () =>
        {
            await BrowserSession.SignInAsync(page);
            await page.GotoAsync("/admin/xmpp");

            await Expect(page.Locator("[data-xmpp-link-page='disabled']")).ToContainTextAsync("disabled");
        });
    }
}
