#!/usr/bin/python3
"""The listing page in a real browser (headless Chromium via Selenium).

Run by `tools/dev test` against a running suite with the demo data:

  listing_browser_test.py --url http://127.0.0.1:PORT --osanctl PATH \
      --artefacts DIR [osanctl flags...]

It loads the page, filters by day and keyword, opens a section and checks
its seats left against enrollment's own count (`osanctl sections seats`),
checks that the page fits a 360 px wide phone, and that a course created
through the API appears once the listing refreshes. Screenshots of `/` and
of a section page are written to DIR.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

ARGS = None


def osanctl(*args, token_as=None):
    env = dict(os.environ)
    if token_as:
        institution, role = token_as
        env["OSAN_TOKEN"] = subprocess.check_output(
            [ARGS.osanctl, *ARGS.ctl, "token", "--institution", institution, "--role", role],
            env=env, text=True).strip()
    return subprocess.check_output([ARGS.osanctl, *ARGS.ctl, *args], env=env, text=True)


class ListingPageInABrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        options = Options()
        options.binary_location = "/usr/bin/chromium"
        cls.profile = tempfile.TemporaryDirectory()
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--disable-dev-shm-usage",
                     f"--user-data-dir={cls.profile.name}", "--window-size=1280,900",
                     "--lang=ko-KR"):
            options.add_argument(flag)
        # The page must work without JavaScript: run it with JavaScript off.
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2})
        cls.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        cls.driver.set_page_load_timeout(30)
        os.makedirs(ARGS.artefacts, exist_ok=True)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        cls.profile.cleanup()

    def open(self, path):
        self.driver.get(ARGS.url + path)

    def rows(self):
        return self.driver.find_elements(By.CSS_SELECTOR, "table.sections tbody tr")

    def test_index_lists_the_demo_courses_in_korean(self):
        self.open("/")
        self.assertEqual(self.driver.find_element(By.TAG_NAME, "html").get_attribute("lang"), "ko")
        self.assertIn("공동교육과정", self.driver.find_element(By.TAG_NAME, "h1").text)
        self.assertGreater(len(self.rows()), 0)
        for field in self.driver.find_elements(By.CSS_SELECTOR, "form.search input, form.search select"):
            label = self.driver.find_elements(
                By.CSS_SELECTOR, f"label[for='{field.get_attribute('id')}']")
            self.assertEqual(len(label), 1, f"a label for {field.get_attribute('name')}")
        self.driver.save_screenshot(os.path.join(ARGS.artefacts, "index.png"))

    def test_filter_by_day_and_keyword(self):
        self.open("/")
        Select(self.driver.find_element(By.ID, "day")).select_by_visible_text("화")
        self.driver.find_element(By.ID, "q").send_keys("인공지능")
        self.driver.find_element(By.CSS_SELECTOR, "form.search button[type=submit]").click()
        # The click starts a navigation; the new page is there once the URL
        # carries the query.
        WebDriverWait(self.driver, 10).until(lambda driver: "q=" in driver.current_url)
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.driver.current_url).query)
        self.assertEqual(query.get("day"), ["화"])
        self.assertEqual(query.get("q"), ["인공지능"])
        rows = self.rows()
        self.assertGreater(len(rows), 0, "the demo has a Tuesday AI course")
        for row in rows:
            self.assertIn("화", row.find_element(By.CSS_SELECTOR, "td[data-label='요일·시간']").text)
            self.assertIn("인공지능", row.text + self.driver.page_source)
        # An unknown value is a message on the page, never a server error.
        self.open("/?day=%EC%9D%BC%EC%9A%94%EC%9D%BC")
        self.assertIn("요일", self.driver.find_element(By.ID, "problem").text)

    def test_section_page_shows_enrollments_seat_count(self):
        self.open("/")
        link = self.rows()[0].find_element(By.CSS_SELECTOR, "td a")
        title = link.text
        link.click()
        WebDriverWait(self.driver, 10).until(lambda driver: "/sections/" in driver.current_url)
        self.assertEqual(self.driver.find_element(By.TAG_NAME, "h1").text, title)
        section_id = urllib.parse.urlparse(self.driver.current_url).path.rsplit("/", 1)[1]
        counts = json.loads(osanctl("sections", "seats", "--term", ARGS.term, "--json"))
        count = next((c for c in counts.get("seats", [])
                      if c["section"].endswith("/" + section_id)), None)
        capacity_text = self.driver.find_element(By.XPATH, "//dt[text()='정원']/following-sibling::dd").text
        capacity = int(capacity_text.rstrip("명"))
        expected = max(0, capacity - (count.get("enrolled", 0) if count else 0))
        seats = self.driver.find_element(By.ID, "seats-left").text
        self.assertTrue(seats.startswith(f"{expected}석"), f"{seats!r} vs {expected}")
        self.assertIn("재학 중인 학교", self.driver.page_source)
        self.driver.save_screenshot(os.path.join(ARGS.artefacts, "section.png"))

    def test_fits_a_360_pixel_phone(self):
        self.driver.set_window_size(360, 800)
        try:
            for path in ("/", "/?day=%ED%99%94"):
                self.open(path)
                width = self.driver.execute_script(
                    "return document.documentElement.scrollWidth")
                viewport = self.driver.execute_script("return window.innerWidth")
                self.assertLessEqual(width, viewport, f"no horizontal scroll on {path}")
            self.driver.save_screenshot(os.path.join(ARGS.artefacts, "index-360.png"))
        finally:
            self.driver.set_window_size(1280, 900)

    def test_a_course_created_through_the_api_appears(self):
        title = f"브라우저 시험 과목 {int(time.time())}"
        host = ("J10-7531001", "SCHOOL")
        course = osanctl("courses", "create", "--host", "institutions/J10-7531001",
                         "--title", title, "--category", "CAREER_ELECTIVE", "--area", "SCIENCE",
                         "--mode", "IN_PERSON", "--credits", "1",
                         token_as=host).split()[1]  # "created courses/{id} (...)"
        created = osanctl("sections", "create", "--term", ARGS.term, "--course", course,
                          "--capacity", "10", "--policy", "LOTTERY",
                          "--weekly", "TUESDAY@18:00-19:40", "--location", "과학실",
                          token_as=host)
        section = created.split()[1]
        osanctl("sections", "move", section, "--to", "PUBLISHED", token_as=host)
        deadline = time.time() + 20
        while time.time() < deadline:
            self.open("/?q=" + urllib.parse.quote(title))
            if title in self.driver.page_source:
                return
            time.sleep(0.5)
        self.fail(f"{title} did not appear within 20 s")


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--osanctl", required=True)
    parser.add_argument("--artefacts", required=True)
    parser.add_argument("--term", required=True, help="the open term, terms/{year}-{semester}")
    ARGS, rest = parser.parse_known_args()
    ARGS.ctl = rest
    runner = unittest.TextTestRunner(verbosity=2)
    result = runner.run(unittest.defaultTestLoader.loadTestsFromTestCase(ListingPageInABrowser))
    sys.exit(0 if result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
