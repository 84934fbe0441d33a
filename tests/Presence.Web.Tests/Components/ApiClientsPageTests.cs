using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Presence.Web.Authentication;
using Presence.Web.Components.Pages.Admin;
using Presence.Web.Tests.Support;

namespace Presence.Web.Tests.Components;

/// <summary>The API clients page with its dialogs, on the real service's client store (SQLite): create, rotate, revoke, test token.</summary>
public sealed class ApiClientsPageTests : DashboardContext, IClassFixture<AppFixture>
{
    private readonly IRenderedComponent<MudDialogProvider> _dialogs;

    public ApiClientsPageTests(AppFixture app)
    {
        Time.SetUtcNow(DateTimeOffset.UtcNow);
        Ctx.Services.AddSingleton(app.Services.GetRequiredService<ApiClientService>());
        Ctx.AddAuthorization().SetAuthorized("admin").SetRoles(DashboardRoles.Admin);
        Ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        Ctx.Render<MudPopoverProvider>();
        _dialogs = Ctx.Render<MudDialogProvider>();
    }

    private static IElement Button<T>(IRenderedComponent<T> where, string text) where T : IComponent =>
        where.FindAll("button").FirstOrDefault(b => b.TextContent.Trim() == text)
        ?? throw new Xunit.Sdk.XunitException($"no button '{text}' in:\n{where.Markup}");

    private static Task ClickAsync<T>(IRenderedComponent<T> where, string text) where T : IComponent => Button(where, text).ClickAsync(new MouseEventArgs());

    /// <summary>
    /// Clicks a button (of a client's row when <paramref name="client"/> is given) whose action opens a dialog: the
    /// handler completes only when the dialog closes, so the click is not awaited.
    /// </summary>
    private static void Open(IRenderedComponent<ApiClients> page, string text, string? client = null)
    {
        var scope = client is null ? page.FindAll("button") : page.Find($"tr[data-client='{client}']").QuerySelectorAll("button");
        var button = scope.FirstOrDefault(b => b.TextContent.Trim() == text) ?? throw new Xunit.Sdk.XunitException($"no button '{text}' in:\n{page.Markup}");
        _ = button.ClickAsync(new MouseEventArgs());
    }

    private async Task<IRenderedComponent<ApiClients>> CreateAsync(string name, params string[] scopes)
    {
        var page = Ctx.Render<ApiClients>();
        Open(page, "New client");
        await _dialogs.WaitForElement("[data-create-client] input[name='name']").ChangeAsync(new ChangeEventArgs { Value = name });
        foreach (var scope in scopes)
        {
            var box = _dialogs.FindAll("label").First(l => l.TextContent.Trim() == scope).QuerySelector("input[type='checkbox']")!;
            await box.ChangeAsync(new ChangeEventArgs { Value = true });
        }
        await ClickAsync(_dialogs, "Create client");
        return page;
    }

    private static string Status(IRenderedComponent<ApiClients> page, string name) =>
        page.Find($"tr[data-client='{name}']").GetAttribute("data-status")!;

    [Fact]
    public async Task CreatingAClientShowsItsSecretOnceAndListsItAsActive()
    {
        var page = await CreateAsync("meeting-server", "write-own");

        _dialogs.WaitForAssertion(() => Assert.Matches("^[A-Za-z0-9_-]{40,}$", _dialogs.Find("[data-secret]").TextContent.Trim()));
        Assert.Contains("shown only once", _dialogs.Markup);
        page.WaitForAssertion(() => Assert.Equal("active", Status(page, "meeting-server")));
        Assert.Equal("read write-own", page.Find("tr[data-client='meeting-server'] td:nth-child(2)").TextContent.Trim());

        await ClickAsync(_dialogs, "Done");

        _dialogs.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll("[data-secret]")));
        Assert.Empty(page.FindAll("[data-secret]"));
    }

    [Fact]
    public async Task AClickBesideTheSecretDialogKeepsTheSecretOnScreen()
    {
        await CreateAsync("stray-click");
        var secret = _dialogs.WaitForElement("[data-secret]").TextContent.Trim();

        await _dialogs.Find(".mud-overlay").ClickAsync(new MouseEventArgs());

        Assert.Equal(secret, _dialogs.Find("[data-secret]").TextContent.Trim());
        await ClickAsync(_dialogs, "Done");
        _dialogs.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll("[data-secret]")));
    }

    [Fact]
    public async Task CreatingAClientWithoutANameSaysWhatIsMissingAndCreatesNothing()
    {
        var page = await CreateAsync("");

        _dialogs.WaitForAssertion(() => Assert.Contains("name must be 1 to 100 characters", _dialogs.Find("[data-admin-error]").TextContent));
        Assert.Empty(_dialogs.FindAll("[data-secret]"));
        Assert.Empty(page.FindAll("tr[data-client='']"));
    }

    [Fact]
    public async Task CreatingAClientWithoutAScopeSaysSo()
    {
        var page = Ctx.Render<ApiClients>();
        Open(page, "New client");
        await _dialogs.WaitForElement("[data-create-client] input[name='name']").ChangeAsync(new ChangeEventArgs { Value = "no-scope" });
        var read = _dialogs.FindAll("label").First(l => l.TextContent.Trim() == "read").QuerySelector("input[type='checkbox']")!;
        await read.ChangeAsync(new ChangeEventArgs { Value = false });

        await ClickAsync(_dialogs, "Create client");

        _dialogs.WaitForAssertion(() => Assert.Contains("at least one scope", _dialogs.Find("[data-admin-error]").TextContent));
        Assert.Empty(page.FindAll("tr[data-client='no-scope']"));
    }

    [Fact]
    public async Task RevokeAsksForConfirmationAndCancellingKeepsTheClientActive()
    {
        var page = await CreateAsync("kept-client");
        _dialogs.WaitForElement("[data-secret]");
        await ClickAsync(_dialogs, "Done");
        page.WaitForAssertion(() => Assert.Equal("active", Status(page, "kept-client")));

        Open(page, "Revoke", "kept-client");
        _dialogs.WaitForAssertion(() => Assert.Contains("Revoke 'kept-client'?", _dialogs.Markup));
        await ClickAsync(_dialogs, "Cancel");

        _dialogs.WaitForAssertion(() => Assert.DoesNotContain("Revoke 'kept-client'?", _dialogs.Markup));
        Assert.Equal("active", Status(page, "kept-client"));
    }

    [Fact]
    public async Task ConfirmingRevokeMarksTheClientRevokedAndHidesItsActions()
    {
        var page = await CreateAsync("revoked-client");
        _dialogs.WaitForElement("[data-secret]");
        await ClickAsync(_dialogs, "Done");
        page.WaitForAssertion(() => Assert.Equal("active", Status(page, "revoked-client")));

        Open(page, "Revoke", "revoked-client");
        _dialogs.WaitForAssertion(() => Button(_dialogs, "Revoke"));
        await ClickAsync(_dialogs, "Revoke");

        page.WaitForAssertion(() => Assert.Equal("revoked", Status(page, "revoked-client")));
        Assert.Empty(page.Find("tr[data-client='revoked-client'] td.actions").QuerySelectorAll("button"));
    }

    [Fact]
    public async Task RotatingShowsANewSecretAndUntilWhenThePreviousOneWorks()
    {
        var page = await CreateAsync("rotated-client");
        var first = _dialogs.WaitForElement("[data-secret]").TextContent.Trim();
        _dialogs.WaitForElement("[data-secret]");
        await ClickAsync(_dialogs, "Done");
        page.WaitForAssertion(() => Assert.Equal("active", Status(page, "rotated-client")));

        Open(page, "Rotate", "rotated-client");
        _dialogs.WaitForAssertion(() => Button(_dialogs, "Rotate secret"));
        await ClickAsync(_dialogs, "Rotate secret");

        _dialogs.WaitForAssertion(() => Assert.Contains("previous secret works for 60 more minutes", _dialogs.Markup));
        Assert.NotEqual(first, _dialogs.Find("[data-secret]").TextContent.Trim());
        page.WaitForAssertion(() => Assert.NotEmpty(page.Find("tr[data-client='rotated-client'] td:nth-child(6)").TextContent.Trim()));
    }

    [Fact]
    public async Task ATestTokenNeedsAUserFirst()
    {
        var page = await CreateAsync("token-client");
        _dialogs.WaitForElement("[data-secret]");
        await ClickAsync(_dialogs, "Done");
        page.WaitForAssertion(() => Assert.Equal("active", Status(page, "token-client")));

        Open(page, "Test token", "token-client");

        page.WaitForAssertion(() => Assert.Contains("Enter the user for the test token first", page.Find("[data-admin-error]").TextContent));
        Assert.Empty(_dialogs.FindAll("[data-token]"));
    }

    [Fact]
    public async Task ATestTokenIsIssuedForTheGivenUserAndShownWithACopyButton()
    {
        var page = await CreateAsync("tested-client");
        _dialogs.WaitForElement("[data-secret]");
        await ClickAsync(_dialogs, "Done");
        page.WaitForAssertion(() => Assert.Equal("active", Status(page, "tested-client")));
        await page.FindAll("input").First(i => i.GetAttribute("placeholder") == "alice@example.com").ChangeAsync(new ChangeEventArgs { Value = "carol@example.com" });

        Open(page, "Test token", "tested-client");

        _dialogs.WaitForAssertion(() => Assert.Contains(":carol@example.com:", _dialogs.Find("[data-token]").TextContent));
        await _dialogs.Find("button[aria-label='Copy']").ClickAsync(new MouseEventArgs());
        Assert.Contains(Ctx.JSInterop.Invocations, i => i.Identifier == "navigator.clipboard.writeText" && (string)i.Arguments[0]! == _dialogs.Find("[data-token]").TextContent.Trim());
    }
}
