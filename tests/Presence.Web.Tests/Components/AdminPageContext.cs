using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Presence.Web.Authentication;
using Presence.Web.Tests.Support;

namespace Presence.Web.Tests.Components;

/// <summary>
/// Base of the admin pages' bunit tests: signed in as the admin <c>admin</c>, interactive, with MudBlazor's popover
/// and dialog providers rendered (<see cref="Dialogs"/>), and helpers to find and click buttons.
/// </summary>
public abstract class AdminPageContext : DashboardContext
{
    /// <param name="services">Registers the page's services (before anything renders).</param>
    protected AdminPageContext(Action<IServiceCollection> services)
    {
        services(Ctx.Services);
        Time.SetUtcNow(DateTimeOffset.UtcNow);
        Ctx.AddAuthorization().SetAuthorized("admin").SetRoles(DashboardRoles.Admin);
        Ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        Ctx.Render<MudPopoverProvider>();
        Dialogs = Ctx.Render<MudDialogProvider>();
    }

    /// <summary>Where dialogs render.</summary>
    protected IRenderedComponent<MudDialogProvider> Dialogs { get; }

    /// <summary>The button with exactly this text.</summary>
    protected static IElement Button<T>(IRenderedComponent<T> where, string text) where T : IComponent =>
        where.FindAll("button").FirstOrDefault(b => b.TextContent.Trim() == text)
        ?? throw new Xunit.Sdk.XunitException($"no button '{text}' in:\n{where.Markup}");

    /// <summary>Clicks the button with exactly this text and awaits its handler.</summary>
    protected static Task ClickAsync<T>(IRenderedComponent<T> where, string text) where T : IComponent => Button(where, text).ClickAsync(new MouseEventArgs());

    /// <summary>
    /// Clicks a button (inside the element <paramref name="row"/> selects, when given) whose action opens a dialog:
    /// its handler completes only when the dialog closes, so the click is not awaited.
    /// </summary>
    protected static void Open<T>(IRenderedComponent<T> page, string text, string? row = null) where T : IComponent
    {
        var scope = row is null ? page.FindAll("button") : page.Find(row).QuerySelectorAll("button");
        var button = scope.FirstOrDefault(b => b.TextContent.Trim() == text) ?? throw new Xunit.Sdk.XunitException($"no button '{text}' in:\n{page.Markup}");
        _ = button.ClickAsync(new MouseEventArgs());
    }
}
