using Microsoft.AspNetCore.Mvc.Testing;

namespace TypedSessions.Integration.Tests;

/// <summary>Static server rendering of Blazor components: reads, and writes from a streamed page.</summary>
public class StaticRenderingTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private HttpClient Browser() => factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });

    [Fact]
    public async Task A_streamed_page_gets_its_cookie_up_front_and_its_late_write_counts()
    {
        var browser = Browser();

        using var first = await browser.GetAsync(new Uri("/visits", UriKind.Relative));
        var firstHtml = await first.Content.ReadAsStringAsync();
        var secondHtml = await browser.GetStringAsync(new Uri("/visits", UriKind.Relative));

        Assert.Contains(first.Headers.GetValues("Set-Cookie"), c => c.StartsWith("TypedSessions=", StringComparison.Ordinal));
        Assert.Contains("This session has seen this page 1 time.", firstHtml, StringComparison.Ordinal);
        Assert.Contains("This session has seen this page 2 times.", secondHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_static_page_reads_what_a_minimal_api_wrote()
    {
        var browser = Browser();
        Assert.Contains("Not signed in.", await browser.GetStringAsync(new Uri("/", UriKind.Relative)), StringComparison.Ordinal);

        await browser.GetStringAsync(new Uri("/b-session", UriKind.Relative));

        Assert.Contains("Signed in as alice.", await browser.GetStringAsync(new Uri("/", UriKind.Relative)), StringComparison.Ordinal);
    }
}
