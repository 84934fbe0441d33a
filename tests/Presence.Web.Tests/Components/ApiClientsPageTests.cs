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
public sealed class ApiClientsPageTests : AdminPageContext, IClassFixture<AppFixture>
{
    private readonly AppFixture _app;

    public ApiClientsPageTests(AppFixture app) : base(s => s.AddSingleton(app.Services.GetRequiredService<ApiClientService>()))
    {
        _app = app;
    }

    private static void Open(IRenderedComponent<ApiClients> page, string text, string? client = null) =>
        AdminPageContext.Open(page, text, client is null ? null : $"tr[data-client='{client}']");

    private async Task<IRenderedComponent<ApiClients>> CreateAsync(string name, params string[] scopes)
    {
        var page = Ctx.Render<ApiClients>();
        Open(page, "New client");
        await Dialogs.WaitForElement("[data-create-client] input[name='name']").ChangeAsync(new ChangeEventArgs { Value = name });
        foreach (var scope in scopes)
        {
            var box = Dialogs.FindAll("label").First(l => l.TextContent.Trim() == scope).QuerySelector("input[type='checkbox']")!;
            await box.ChangeAsync(new ChangeEventArgs { Value = true });
        }
        await ClickAsync(Dialogs, "Create client");
        return page;
    }

    private static string Status(IRenderedComponent<ApiClients> page, string name) =>
        page.Find($"tr[data-client='{name}']").GetAttribute("data-status")!;

    [Fact]
    public async Task CreatingAClientShowsItsSecretOnceAndListsItAsActive()
    {
        var page = await CreateAsync("meeting-server", "write-own");

        Dialogs.WaitForAssertion(() => Assert.Matches("^[A-Za-z0-9_-]{40,}$", Dialogs.Find("[data-secret]").TextContent.Trim()));
        Assert.Contains("shown only once", Dialogs.Markup);
        page.WaitForAssertion(() => Assert.Equal("active", Status(page, "meeting-server")));
        Assert.Equal("read write-own", page.Find("tr[data-client='meeting-server'] td:nth-child(2)").TextContent.Trim());

        await ClickAsync(Dialogs, "Done");

        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-secret]")));
        Assert.Empty(page.FindAll("[data-secret]"));
    }

    [Fact]
    public async Task AClickBesideTheSecretDialogKeepsTheSecretOnScreen()
    {
        await CreateAsync("stray-click");
        var secret = Dialogs.WaitForElement("[data-secret]").TextContent.Trim();

        await Dialogs.Find(".mud-overlay").ClickAsync(new MouseEventArgs());

        Assert.Equal(secret, Dialogs.Find("[data-secret]").TextContent.Trim());
        await ClickAsync(Dialogs, "Done");
        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-secret]")));
    }

    [Fact]
    public async Task CreatingAClientWithoutANameSaysWhatIsMissingAndCreatesNothing()
    {
        var page = await CreateAsync("");

        Dialogs.WaitForAssertion(() => Assert.Contains("name must be 1 to 100 characters", Dialogs.Find("[data-admin-error]").TextContent));
        Assert.Empty(Dialogs.FindAll("[data-secret]"));
        Assert.Empty(page.FindAll("tr[data-client='']"));
    }

    [Fact]
    public async Task CreatingAClientWithoutAScopeSaysSo()
    {
        var page = Ctx.Render<ApiClients>();
        Open(page, "New client");
        await Dialogs.WaitForElement("[data-create-client] input[name='name']").ChangeAsync(new ChangeEventArgs { Value = "no-scope" });
        var read = Dialogs.FindAll("label").First(l => l.TextContent.Trim() == "read").QuerySelector("input[type='checkbox']")!;
        await read.ChangeAsync(new ChangeEventArgs { Value = false });

        await ClickAsync(Dialogs, "Create client");

        Dialogs.WaitForAssertion(() => Assert.Contains("at least one scope", Dialogs.Find("[data-admin-error]").TextContent));
        Assert.Empty(page.FindAll("tr[data-client='no-scope']"));
    }

    [Fact]
    public async Task RevokeAsksForConfirmationAndCancellingKeepsTheClientActive()
    {
        var page = await CreateAsync("kept-client");
        Dialogs.WaitForElement("[data-secret]");
        await ClickAsync(Dialogs, "Done");
        page.WaitForAssertion(() => Assert.Equal("active", Status(page, "kept-client")));

        Open(page, "Revoke", "kept-client");
        Dialogs.WaitForAssertion(() => Assert.Contains("Revoke 'kept-client'?", Dialogs.Markup));
        await ClickAsync(Dialogs, "Cancel");

        Dialogs.WaitForAssertion(() => Assert.DoesNotContain("Revoke 'kept-client'?", Dialogs.Markup));
        Assert.Equal("active", Status(page, "kept-client"));
    }

    [Fact]
    public async Task ConfirmingRevokeMarksTheClientRevokedAndHidesItsActions()
    {
        var page = await CreateAsync("revoked-client");
        Dialogs.WaitForElement("[data-secret]");
        await ClickAsync(Dialogs, "Done");
        page.WaitForAssertion(() => Assert.Equal("active", Status(page, "revoked-client")));

        Open(page, "Revoke", "revoked-client");
        Dialogs.WaitForAssertion(() => Button(Dialogs, "Revoke"));
        await ClickAsync(Dialogs, "Revoke");

        page.WaitForAssertion(() => Assert.Equal("revoked", Status(page, "revoked-client")));
        Assert.Empty(page.Find("tr[data-client='revoked-client'] td.actions").QuerySelectorAll("button"));
    }

    [Fact]
    public async Task RotatingShowsANewSecretAndUntilWhenThePreviousOneWorks()
    {
        var page = await CreateAsync("rotated-client");
        var first = Dialogs.WaitForElement("[data-secret]").TextContent.Trim();
        Dialogs.WaitForElement("[data-secret]");
        await ClickAsync(Dialogs, "Done");
        page.WaitForAssertion(() => Assert.Equal("active", Status(page, "rotated-client")));

        Open(page, "Rotate", "rotated-client");
        Dialogs.WaitForAssertion(() => Button(Dialogs, "Rotate secret"));
        await ClickAsync(Dialogs, "Rotate secret");

        Dialogs.WaitForAssertion(() => Assert.Contains("previous secret works for 60 more minutes", Dialogs.Markup));
        Assert.NotEqual(first, Dialogs.Find("[data-secret]").TextContent.Trim());
        page.WaitForAssertion(() => Assert.NotEmpty(page.Find("tr[data-client='rotated-client'] td:nth-child(6)").TextContent.Trim()));
    }

    [Fact]
    public async Task ATestTokenNeedsAUserFirst()
    {
        var page = await CreateAsync("token-client");
        Dialogs.WaitForElement("[data-secret]");
        await ClickAsync(Dialogs, "Done");
        page.WaitForAssertion(() => Assert.Equal("active", Status(page, "token-client")));

        Open(page, "Test token", "token-client");

        page.WaitForAssertion(() => Assert.Contains("Enter the user for the test token first", page.Find("[data-admin-error]").TextContent));
        Assert.Empty(Dialogs.FindAll("[data-token]"));
    }

    [Fact]
    public async Task ATestTokenIsIssuedForTheGivenUserAndShownWithACopyButton()
    {
        var page = await CreateAsync("tested-client");
        Dialogs.WaitForElement("[data-secret]");
        await ClickAsync(Dialogs, "Done");
        page.WaitForAssertion(() => Assert.Equal("active", Status(page, "tested-client")));
        await page.FindAll("input").First(i => i.GetAttribute("placeholder") == "alice@example.com").ChangeAsync(new ChangeEventArgs { Value = "carol@example.com" });

        Open(page, "Test token", "tested-client");

        Dialogs.WaitForAssertion(() => Assert.Contains(":carol@example.com:", Dialogs.Find("[data-token]").TextContent));
        await Dialogs.Find("button[aria-label='Copy']").ClickAsync(new MouseEventArgs());
        Assert.Contains(Ctx.JSInterop.Invocations, i => i.Identifier == "navigator.clipboard.writeText" && (string)i.Arguments[0]! == Dialogs.Find("[data-token]").TextContent.Trim());
    }

    [Fact]
    public async Task TheSecretDialogShowsACommandThatMintsATokenTheApiAccepts()
    {
        await CreateAsync("recipe-client", "write-own");
        var secret = Dialogs.WaitForElement("[data-secret]").TextContent.Trim();
        var recipe = Dialogs.Find("[data-token-recipe]").TextContent.Trim();

        Assert.Equal($"printf '%s\\n' '{secret}' | dotnet run --project src/Presence.Web -- token alice@example.com --secret-stdin", recipe);
        var (code, token, error) = Infrastructure.ShellCommand.Run(recipe);
        Assert.True(code == 0, error);
        using var response = await _app.App.Bearer(token).PutAsync("/api/v1/presence/alice@example.com/spreed",
            new StringContent("""{"status":"busy","message":"recipe"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task TheRecipeUsesTheUserOfTheTestTokenFieldWhenOneIsGiven()
    {
        var page = Ctx.Render<ApiClients>();
        await page.FindAll("input").First(i => i.GetAttribute("placeholder") == "alice@example.com").ChangeAsync(new ChangeEventArgs { Value = "dora@example.com" });
        Open(page, "New client");
        await Dialogs.WaitForElement("[data-create-client] input[name='name']").ChangeAsync(new ChangeEventArgs { Value = "recipe-user-client" });
        await ClickAsync(Dialogs, "Create client");

        Dialogs.WaitForAssertion(() => Assert.Contains("-- token dora@example.com --secret-stdin", Dialogs.Find("[data-token-recipe]").TextContent));
    }
}
