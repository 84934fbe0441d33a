using MudBlazor;

namespace Presence.Web.Components.Layout;

/// <summary>The dashboard's MudBlazor theme: light and dark palettes; state colours come from site.css and always go with words.</summary>
internal static class DashboardTheme
{
    /// <summary>The theme (both palettes; <c>MudThemeProvider.IsDarkMode</c> picks one).</summary>
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1565c0",
            AppbarBackground = "#263238",
            AppbarText = "#ffffff",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#90caf9",
            AppbarBackground = "#1e1e2d",
        },
    };
}
