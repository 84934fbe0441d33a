using Microsoft.JSInterop;

namespace Presence.Web.Model;

/// <summary>
/// The person's theme choice, kept in the browser's <c>localStorage</c> under <see cref="Key"/> (<c>dark</c> or
/// <c>light</c>), so it is remembered per browser and never stored on the server. One per circuit (scoped).
/// </summary>
public sealed class ThemePreference(IJSRuntime js)
{
    /// <summary>The <c>localStorage</c> key.</summary>
    public const string Key = "presence-theme";

    /// <summary>The stored choice: true for dark, false for light, <c>null</c> when none was made (or storage is unavailable).</summary>
    public async Task<bool?> LoadAsync()
    {
        try
        {
            return await js.InvokeAsync<string?>("localStorage.getItem", Key) switch
            {
                "dark" => true,
                "light" => false,
                _ => null,
            };
        }
        catch (JSException)
        {
            return null; // storage disabled by the browser: follow its preference
        }
    }

    /// <summary>Stores the choice (true: dark). A browser without storage keeps the theme for this page only.</summary>
    public async Task SaveAsync(bool dark)
    {
        try
        {
            await js.InvokeVoidAsync("localStorage.setItem", Key, dark ? "dark" : "light");
        }
        catch (JSException)
        {
        }
    }
}
