"""What browsers, feed readers and crawlers read: the front page, profiles, posts and hashtags
(content negotiation sends browsers here), error pages, RSS feeds, robots.txt and the favicon."""
