"""``hall serve``: a file a tab sends is the browser's that asked for it (cli/serve.py).

A real server and a real tab: the page sets its cookie, the tab's WebSocket carries it, the desk
clerk signs in, registers a visitor, issues (F5) and saves the ticket (F6), which textual-serve
offers as ``/download/KEY``. That address alone (no cookie, as a proxy's log or another
browser would have it) and with another browser's cookie is refused as gone; with the page's
cookie it gives the PNG, once.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

from yarl import URL

from cli.serve import GONE, TAB_COOKIE
from tests.helpers import TEST_PASSWORD
from tests.screens.test_desk import NEW_ID
from tests.web.test_serve import serving

F5, F6 = "\x1b[15~", "\x1b[17~"


def test_a_download_is_given_to_the_browser_whose_tab_made_it_only(tmp_path: Path) -> None:
    from aiohttp import ClientSession, CookieJar, WSMsgType

    async def scene(base: str) -> None:
        jar = CookieJar(unsafe=True)  # cookies for 127.0.0.1, as a browser keeps them
        async with ClientSession(cookie_jar=jar) as browser, ClientSession() as stranger, \
                ClientSession(cookie_jar=CookieJar(unsafe=True)) as other_browser:
            async with browser.get(base + "/") as page:
                assert page.status == 200
                cookie = page.cookies[TAB_COOKIE]
                assert cookie["httponly"] and cookie["samesite"] == "Strict"
            async with other_browser.get(base + "/") as page:
                assert page.status == 200
            mine = browser.cookie_jar.filter_cookies(URL(base))[TAB_COOKIE].value
            theirs = other_browser.cookie_jar.filter_cookies(URL(base))[TAB_COOKIE].value
            assert mine != theirs and len(mine) >= 40

            tab = await browser.ws_connect(base.replace("http", "ws") + "/ws?width=120&height=40")
            shown, keys = b"", []

            async def until(text: str) -> None:
                await until_true(lambda: text.encode() in shown)

            async def until_true(condition: Callable[[], bool]) -> None:
                nonlocal shown
                while not condition():
                    message = await asyncio.wait_for(tab.receive(), 60)
                    assert message.type not in (WSMsgType.CLOSE, WSMsgType.CLOSED), message
                    if isinstance(message.data, bytes):
                        shown += message.data
                    elif message.type == WSMsgType.TEXT:
                        envelope = json.loads(message.data)
                        if envelope[0] == "deliver_file_start":
                            keys.append(envelope[1])

            async def type_(*parts: str) -> None:
                for part in parts:
                    await tab.send_json(["stdin", part])
                    await asyncio.sleep(0.3)

            await until("请登录")
            await type_("desk01\r", TEST_PASSWORD + "\r")
            await until("身份证号")
            await type_(NEW_ID, "\r", "张建国", "\r", "13812345678", "\r", "\r", "\r", "nmg",
                        "\r", "工地拖欠工资三个月")
            await until("工地拖欠工资三个月")
            await type_(F5)
            await until("保存")
            await type_(F6)
            await until("已发送到浏览器下载")
            await until_true(lambda: bool(keys))  # the key's message, if not read yet
            (key,) = keys
            url = f"{base}/download/{key}"

            forged = {"Cookie": f"{TAB_COOKIE}=你{mine[:8]}"}  # not even ASCII
            for someone, headers in ((stranger, {}), (other_browser, {}), (stranger, forged)):
                async with someone.get(url, headers=headers) as refused:
                    assert refused.status == 404, "given to a browser that did not make it"
                    assert await refused.text() == GONE
            async with browser.get(url) as given:
                assert given.status == 200
                assert (await given.read()).startswith(b"\x89PNG")
                assert ".png" in given.headers["Content-Disposition"]
            async with browser.get(url) as again:  # once
                assert (again.status, await again.text()) == (404, GONE)
            await tab.close()

    with serving(tmp_path, "desk") as (base, _server):
        asyncio.run(scene(base))
