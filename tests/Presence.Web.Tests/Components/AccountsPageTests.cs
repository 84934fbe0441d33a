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

/// <summary>The accounts page with its dialogs, on the real service's account store (SQLite, Identity).</summary>
public sealed class AccountsPageTests : DashboardContext, IClassFixture<AppFixture>
{
    private readonly IRenderedComponent<MudDialogProvider> _dialogs;

    public AccountsPageTests(AppFixture app)
    {
        Time.SetUtcNow(DateTimeOffset.UtcNow);
        Ctx.Services.AddSingleton(app.Services.GetRequiredService<DashboardUserService>());
        Ctx.AddAuthorization().SetAuthorized("admin").SetRoles(DashboardRoles.Admin);
        Ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        Ctx.Render<MudPopoverProvider>();
        _dialogs = Ctx.Render<MudDialogProvider>();
    }

    private static IElement Button<T>(IRenderedComponent<T> where, string text) where T : IComponent =>
        where.FindAll("button").FirstOrDefault(b => b.TextContent.Trim() == text)
        ?? throw new Xunit.Sdk.XunitException($"no button '{text}' in:\n{where.Markup}");

    private static Task ClickAsync<T>(IRenderedComponent<T> where, string text) where T : IComponent => Button(where, text).ClickAsync(new MouseEventArgs());

    /// <summary>Clicks a button whose action opens a dialog (its handler completes when the dialog closes: not awaited).</summary>
    private static void Open(IRenderedComponent<Accounts> page, string text, string? account = null)
    {
        var scope = account is null ? page.FindAll("button") : page.Find($"tr[data-account='{account}']").QuerySelectorAll("button");
        var button = scope.FirstOrDefault(b => b.TextContent.Trim() == text) ?? throw new Xunit.Sdk.XunitException($"no button '{text}' in:\n{page.Markup}");
        _ = button.ClickAsync(new MouseEventArgs());
    }

    private async Task<IRenderedComponent<Accounts>> CreateAsync(string userName, bool admin = false)
    {
        var page = Ctx.Render<Accounts>();
        Open(page, "New account");
        await _dialogs.WaitForElement("[data-create-user] input[name='userName']").ChangeAsync(new ChangeEventArgs { Value = userName });
        if (admin)
        {
            var box = _dialogs.FindAll("label").First(l => l.TextContent.Trim().StartsWith("Admin")).QuerySelector("input[type='checkbox']")!;
            await box.ChangeAsync(new ChangeEventArgs { Value = true });
        }
        await ClickAsync(_dialogs, "Create account");
        return page;
    }

    [Fact]
    public async Task CreatingAnAccountShowsItsOneTimePasswordOnceAndListsItAsAViewer()
    {
        var page = await CreateAsync("olga.viewer");

        _dialogs.WaitForAssertion(() => Assert.Equal(20, _dialogs.Find("[data-secret]").TextContent.Trim().Length));
        Assert.Contains("must be changed at the first sign-in", _dialogs.Markup);
        page.WaitForAssertion(() => Assert.Equal("viewer", page.Find("tr[data-account='olga.viewer']").GetAttribute("data-role")));
        Assert.Contains("one-time, not changed yet", page.Find("tr[data-account='olga.viewer']").TextContent);

        await ClickAsync(_dialogs, "Done");

        _dialogs.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll("[data-secret]")));
        Assert.Empty(page.FindAll("[data-secret]"));
    }

    [Fact]
    public async Task AnAdminAccountIsListedAsAdmin()
    {
        var page = await CreateAsync("otto.admin", admin: true);
        _dialogs.WaitForElement("[data-secret]");
        await ClickAsync(_dialogs, "Done");

        page.WaitForAssertion(() => Assert.Equal("admin", page.Find("tr[data-account='otto.admin']").GetAttribute("data-role")));
    }

    [Fact]
    public async Task ATakenNameKeepsTheDialogOpenWithTheReason()
    {
        var page = await CreateAsync("admin");

        _dialogs.WaitForAssertion(() => Assert.Contains("An account named 'admin' already exists.", _dialogs.Find("[data-admin-error]").TextContent));
        Assert.Empty(_dialogs.FindAll("[data-secret]"));
        Assert.Single(page.FindAll("tr[data-account='admin']"));
    }

    [Fact]
    public void OnesOwnAccountHasNoDeleteButton()
    {
        var page = Ctx.Render<Accounts>();

        var own = page.WaitForElement("tr[data-account='admin']");

        Assert.DoesNotContain(own.QuerySelectorAll("button"), b => b.TextContent.Trim() == "Delete");
        Assert.Contains(own.QuerySelectorAll("button"), b => b.TextContent.Trim() == "Reset password");
    }

    [Fact]
    public async Task DeleteAsksForConfirmationCancellingKeepsTheAccountConfirmingRemovesIt()
    {
        var page = await CreateAsync("paul.delete");
        _dialogs.WaitForElement("[data-secret]");
        await ClickAsync(_dialogs, "Done");
        page.WaitForElement("tr[data-account='paul.delete']");

        Open(page, "Delete", "paul.delete");
        _dialogs.WaitForAssertion(() => Assert.Contains("Delete 'paul.delete'?", _dialogs.Markup));
        await ClickAsync(_dialogs, "Cancel");
        _dialogs.WaitForAssertion(() => Assert.DoesNotContain("Delete 'paul.delete'?", _dialogs.Markup));
        Assert.Single(page.FindAll("tr[data-account='paul.delete']"));

        Open(page, "Delete", "paul.delete");
        _dialogs.WaitForAssertion(() => Button(_dialogs, "Delete"));
        await ClickAsync(_dialogs, "Delete");

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("tr[data-account='paul.delete']")));
    }

    [Fact]
    public async Task AResetShowsANewOneTimePasswordAfterAConfirmation()
    {
        var page = await CreateAsync("rosa.reset");
        var first = _dialogs.WaitForElement("[data-secret]").TextContent.Trim();
        await ClickAsync(_dialogs, "Done");
        page.WaitForElement("tr[data-account='rosa.reset']");

        Open(page, "Reset password", "rosa.reset");
        _dialogs.WaitForAssertion(() => Assert.Contains("open sessions end", _dialogs.Markup));
        await ClickAsync(_dialogs, "Reset password");

        _dialogs.WaitForAssertion(() => Assert.Contains("New one-time password of 'rosa.reset'", _dialogs.Markup));
        Assert.NotEqual(first, _dialogs.Find("[data-secret]").TextContent.Trim());
    }
}
