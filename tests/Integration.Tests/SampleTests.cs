using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;

namespace TypedSessions.Integration.Tests;

/// <summary>The sample app's seed examples, through a real test server carrying cookies.</summary>
public class SampleTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    // One client is one browser: it keeps its cookies between requests.
    private HttpClient Browser() => factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = true });

    [Fact]
    public async Task Dream_b_session_logs_you_in_then_welcomes_you_back()
    {
        var browser = Browser();

        var first = await browser.GetAsync("/b-session");
        Assert.Equal("You weren't logged in; but now you are!", await first.Content.ReadAsStringAsync());
        Assert.Equal("text/html", first.Content.Headers.ContentType!.MediaType);
        Assert.Contains(first.Headers.GetValues("Set-Cookie"), static c => c.StartsWith("TypedSessions=", StringComparison.Ordinal));

        Assert.Equal("Welcome back, alice!", await browser.GetStringAsync("/b-session"));
        Assert.Equal("Welcome back, alice!", await browser.GetStringAsync("/b-session"));

        Assert.Equal("You weren't logged in; but now you are!", await Browser().GetStringAsync("/b-session"));
    }

    [Fact]
    public async Task Dancer_code_api_sets_and_gets_the_code_with_the_cookie()
    {
        var browser = Browser();

        Assert.Equal("""{"result":null}""", await browser.GetStringAsync("/api/code"));

        var set = await browser.PostAsync("/api/code", new FormUrlEncodedContent([new("code", "qwerty")]));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal("""{"result":"set"}""", await set.Content.ReadAsStringAsync());

        Assert.Equal("""{"result":"qwerty"}""", await browser.GetStringAsync("/api/code"));
        Assert.Equal("""{"result":null}""", await Browser().GetStringAsync("/api/code")); // without the cookie
    }

    [Fact]
    public async Task Dancer_code_api_answers_400_with_a_json_error_without_a_code()
    {
        var browser = Browser();

        var missing = await browser.PostAsync("/api/code", new FormUrlEncodedContent([new("other", "x")]));
        var empty = await browser.PostAsync("/api/code", null);

        foreach (var response in new[] { missing, empty })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
            Assert.Contains("\"error\":", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal("""{"result":null}""", await browser.GetStringAsync("/api/code"));
    }

    [Fact]
    public async Task The_code_page_has_the_input_and_the_set_and_get_buttons()
    {
        var html = await Browser().GetStringAsync("/code");
        var document = await new HtmlParser().ParseDocumentAsync(html);

        Assert.NotNull(document.QuerySelector("input#code"));
        Assert.Equal("Set", document.QuerySelector("button#set")!.TextContent);
        Assert.Equal("Get", document.QuerySelector("button#get")!.TextContent);
        Assert.NotNull(document.QuerySelector("#result"));
        Assert.Contains(document.Scripts, static s => s.Source?.Contains("code", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Items_added_to_the_cart_with_a_form_post_show_on_reload()
    {
        var browser = Browser();
        Assert.NotNull(await CartLine(browser, null));

        await AddToCart(browser, "mug");
        await AddToCart(browser, "tea-green");
        await AddToCart(browser, "mug");

        var page = await new HtmlParser().ParseDocumentAsync(await browser.GetStringAsync("/cart"));
        Assert.Equal("2", page.QuerySelector("tr[data-sku=mug] .quantity")!.TextContent);
        Assert.Equal("1", page.QuerySelector("tr[data-sku=tea-green] .quantity")!.TextContent);
        Assert.Contains("3 items, total 30.50", page.QuerySelector("#cart-total")!.TextContent, StringComparison.Ordinal);

        // Another browser has its own, empty cart; the home page (static SSR) sees this one's cart.
        Assert.NotNull(await CartLine(Browser(), null));
        Assert.Contains("Cart: 3 items.", await browser.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flash_set_by_a_form_post_shows_once_after_the_redirect_and_not_on_reload()
    {
        var browser = Browser();
        var page = await new HtmlParser().ParseDocumentAsync(await browser.GetStringAsync("/cart"));
        var form = page.QuerySelector("button#add-mug")!.Closest("form")!;
        var fields = form.QuerySelectorAll("input[name]")
            .Select(static i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? ""));

        var afterRedirect = await browser.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields));
        var shown = await new HtmlParser().ParseDocumentAsync(await afterRedirect.Content.ReadAsStringAsync());
        var reloaded = await new HtmlParser().ParseDocumentAsync(await browser.GetStringAsync("/cart"));

        Assert.Equal("Added Stoneware mug to your cart.", shown.QuerySelector("#flash")?.TextContent);
        Assert.Null(reloaded.QuerySelector("#flash"));
    }

    [Fact]
    public async Task A_flash_on_a_statically_rendered_page_shows_once_after_its_form_post()
    {
        var browser = Browser();
        var page = await new HtmlParser().ParseDocumentAsync(await browser.GetStringAsync("/feedback"));
        Assert.Null(page.QuerySelector("#flash"));
        var form = page.QuerySelector("form")!;
        var fields = form.QuerySelectorAll("input[name]")
            .Select(static i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? ""))
            .Append(new("Text", "typed sessions are nice"));

        var afterRedirect = await browser.PostAsync("/feedback", new FormUrlEncodedContent(fields));
        var shown = await new HtmlParser().ParseDocumentAsync(await afterRedirect.Content.ReadAsStringAsync());
        var reloaded = await new HtmlParser().ParseDocumentAsync(await browser.GetStringAsync("/feedback"));

        Assert.Equal(HttpStatusCode.OK, afterRedirect.StatusCode);
        Assert.Equal("Thanks for your feedback (4 words).", shown.QuerySelector("#flash")?.TextContent);
        Assert.Null(reloaded.QuerySelector("#flash"));
    }

    [Fact]
    public async Task A_cart_post_without_the_antiforgery_token_is_refused()
    {
        var response = await Browser().PostAsync("/cart?handler=Add", new FormUrlEncodedContent([new("sku", "mug")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task AddToCart(HttpClient browser, string sku)
    {
        var page = await new HtmlParser().ParseDocumentAsync(await browser.GetStringAsync("/cart"));
        var form = page.QuerySelector($"button#add-{sku}")!.Closest("form")!;
        var fields = form.QuerySelectorAll("input[name]")
            .Select(static i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? ""));
        var response = await browser.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // followed the redirect back to /cart
    }

    private static async Task<AngleSharp.Dom.IElement?> CartLine(HttpClient browser, string? sku)
    {
        var page = await new HtmlParser().ParseDocumentAsync(await browser.GetStringAsync("/cart"));
        return sku is null ? page.QuerySelector("#cart-empty") : page.QuerySelector($"tr[data-sku={sku}]");
    }

    [Fact]
    public async Task Session_creating_requests_are_rate_limited_per_client_and_existing_sessions_are_not()
    {
        using var limited = factory.WithWebHostBuilder(b => b.UseSetting("RateLimiting:NewSessionsPerMinute", "3"));
        var returning = limited.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        Assert.Equal(HttpStatusCode.OK, (await returning.PostAsync("/api/code", new FormUrlEncodedContent([new("code", "kept")]))).StatusCode);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            var newcomer = limited.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/code") { Content = new FormUrlEncodedContent([new("code", "x")]) };
            if (i == 3)
            {
                request.Headers.Add("Cookie", "TypedSessions=forged-to-look-like-a-session"); // does not get around the limit
            }

            statuses.Add((await newcomer.SendAsync(request)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, (await limited.CreateClient().GetAsync("/api/code")).StatusCode); // reads start no session
        Assert.Equal(HttpStatusCode.OK, (await returning.PostAsync("/api/code", new FormUrlEncodedContent([new("code", "still")]))).StatusCode);
    }
}
