-- A calendar feed is found by its link's hash, without reading every setting.
CREATE INDEX settings_calendar_token ON settings (value) WHERE key = 'calendar_token';
