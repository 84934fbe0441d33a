using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;
using Presence.Web.Model;

namespace Presence.Web.Components.Layout;

/// <summary>
/// The dashboard's frame: MudBlazor providers, app bar (XMPP link chip, theme toggle, sign-in state), navigation
/// drawer and the page. The theme follows the browser's preference (<c>prefers-color-scheme</c>) until the person
/// picks one with the toggle; the choice is remembered per browser (<see cref="ThemePreference"/>).
/// </summary>
public sealed partial class MainLayout : LayoutComponentBase
{
    private MudThemeProvider? _themeProvider;
    private ErrorBoundary? _errorBoundary;
    private bool _dark;
    private bool _drawerOpen = true;

    /// <summary>Reads and stores the theme choice in the browser.</summary>
    [Inject] public required ThemePreference Preference { get; init; }

    /// <inheritdoc />
    protected override void OnParametersSet() => _errorBoundary?.Recover();

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || !RendererInfo.IsInteractive) return;
        var stored = await Preference.LoadAsync();
        var dark = stored ?? (_themeProvider is not null && await _themeProvider.GetSystemDarkModeAsync());
        if (dark == _dark) return;
        _dark = dark;
        StateHasChanged();
    }

    private async Task SetDarkAsync(bool dark)
    {
        _dark = dark;
        await Preference.SaveAsync(dark);
    }

    private void Recover() => _errorBoundary?.Recover();
}
