/* bulletin-extract web page: the upload token, uploads with progress and job status, and the
   document page's source panel. Plain JavaScript, no build step. */
(function () {
  'use strict';

  var TOKEN_KEY = 'bulletin_token', REFUSED_KEY = 'bulletin_refused_uploads', REFUSED_KEEP = 20;
  var JOB_LABELS = {queued: '排队中', running: '提取中', done: '完成', failed: '失败', uploading: '上传中'};

  var Token = {
    get: function () { try { return localStorage.getItem(TOKEN_KEY) || ''; } catch (e) { return ''; } },
    set: function (t) { try { localStorage.setItem(TOKEN_KEY, t); } catch (e) { /* private mode */ } },
    clear: function () { try { localStorage.removeItem(TOKEN_KEY); } catch (e) { /* private mode */ } }
  };

  // The printed URL ends with ?token=…: keep the token and take it out of the address bar.
  (function captureToken() {
    var url = new URL(window.location.href);
    var fromUrl = url.searchParams.get('token');
    if (fromUrl) {
      Token.set(fromUrl);
      url.searchParams.delete('token');
      window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    } else if (document.body.dataset.token) {
      Token.set(document.body.dataset.token);  // the server saw the cookie the printed URL set
    }
  })();

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }

  // One form for every time on the page, in the reader's time zone: 2026-12-04 10:11
  function fmtTime(value) {
    var d = value instanceof Date ? value : new Date(value);
    if (isNaN(d.getTime())) return '';
    function two(n) { return (n < 10 ? '0' : '') + n; }
    return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()) + ' ' + two(d.getHours()) + ':' + two(d.getMinutes());
  }

  function timeCell(value) {
    var td = el('td', {'class': 'muted nowrap'}), t = el('time', {datetime: new Date(value).toISOString()}, fmtTime(value));
    td.appendChild(t);
    return td;
  }

  // The uploads the server refused (not a PDF, too large, no token) have no job on the server: the
  // browser keeps the last few so they are still listed, with their reason, after a reload.
  var Refused = {
    all: function () { try { return JSON.parse(localStorage.getItem(REFUSED_KEY) || '[]'); } catch (e) { return []; } },
    add: function (name, reason) {
      var list = this.all();
      list.unshift({name: name, reason: reason, at: new Date().toISOString()});
      try { localStorage.setItem(REFUSED_KEY, JSON.stringify(list.slice(0, REFUSED_KEEP))); } catch (e) { /* private mode */ }
    }
  };

  function errorText(body, fallback) {
    return (body && (body.error_zh || body.error)) || fallback;
  }

  function fmt(value) {
    if (value == null) return '';
    return Number(value).toLocaleString('zh-CN', {maximumFractionDigits: 4});
  }

  // ------------------------------------------------------------ upload page

  var Upload = {
    queue: [], active: 0, limit: 2,

    init: function () {
      var drop = document.getElementById('drop'), input = document.getElementById('files');
      var self = this;
      this.refreshToken();
      Array.prototype.forEach.call(document.querySelectorAll('#jobs time[datetime]'), function (t) {
        var shown = fmtTime(t.getAttribute('datetime'));
        if (shown) t.textContent = shown;
      });
      this.showRefused();
      document.getElementById('token-form').addEventListener('submit', function (e) {
        e.preventDefault();
        var t = document.getElementById('token-input').value.trim();
        if (t) { Token.set(t); self.refreshToken(); self.say(''); }
      });
      document.getElementById('token-forget').addEventListener('click', function () {
        Token.clear(); self.refreshToken();
      });
      input.addEventListener('change', function () { self.add(input.files); input.value = ''; });
      ['dragenter', 'dragover'].forEach(function (type) {
        drop.addEventListener(type, function (e) { e.preventDefault(); drop.classList.add('over'); });
      });
      ['dragleave', 'drop'].forEach(function (type) {
        drop.addEventListener(type, function (e) { e.preventDefault(); drop.classList.remove('over'); });
      });
      drop.addEventListener('drop', function (e) { if (e.dataTransfer) self.add(e.dataTransfer.files); });
      drop.addEventListener('click', function () { if (!Token.get()) self.add([]); });
      drop.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); input.click(); } });
      document.addEventListener('dragover', function (e) { e.preventDefault(); });
      document.addEventListener('drop', function (e) {
        e.preventDefault();
        if (!drop.contains(e.target) && e.dataTransfer && e.dataTransfer.files.length) self.add(e.dataTransfer.files);
      });
      // jobs still running when the page was opened
      Array.prototype.forEach.call(document.querySelectorAll('#jobs tr[data-job]'), function (row) {
        var s = row.dataset.status;
        if (s === 'queued' || s === 'running') self.poll(row, row.dataset.job);
      });
    },

    refreshToken: function () {
      var has = !!Token.get();
      document.getElementById('token-missing').hidden = has;
      document.getElementById('token-ok').hidden = !has;
      var drop = document.getElementById('drop');
      drop.classList.toggle('disabled', !has);
      document.getElementById('files').disabled = !has;
      drop.setAttribute('aria-disabled', String(!has));
    },

    say: function (text) {
      var box = document.getElementById('drop-message');
      box.textContent = text;
      box.hidden = !text;
    },

    add: function (files) {
      if (!Token.get()) {
        // said, not silently ignored: how to get the token, and where to put it
        this.refreshToken();
        this.say((files && files.length ? '文件没有上传：' : '') + '上传需要令牌。请打开服务器启动时在终端里打印的网址（以 ?token=… 结尾），' +
                 '或向管理员索取令牌，填在上面的框里并点“保存令牌”，然后再拖入文件。');
        var input = document.getElementById('token-input');
        if (input) input.focus();
        return;
      }
      this.say('');
      var empty = document.querySelector('#jobs tr.empty');
      if (empty) empty.remove();
      for (var i = 0; i < files.length; i++) {
        var row = this.row(files[i].name);
        this.queue.push({file: files[i], row: row});
      }
      this.next();
    },

    row: function (name) {
      var tr = el('tr', {'data-status': 'uploading'});
      tr.appendChild(el('td', {}, name));
      var p = el('td'); p.appendChild(el('progress', {max: '100', value: '0'})); tr.appendChild(p);
      tr.appendChild(el('td', {'class': 'status s-queued'}, '等待上传'));
      tr.appendChild(el('td', {'class': 'result'}));
      tr.appendChild(timeCell(new Date()));
      var body = document.getElementById('jobs');
      body.insertBefore(tr, body.firstChild);
      return tr;
    },

    setStatus: function (row, status, text) {
      row.dataset.status = status;
      var cell = row.querySelector('.status');
      cell.className = 'status s-' + status;
      cell.textContent = text || JOB_LABELS[status] || status;
    },

    // a refusal the server did not keep as a job: remembered by the browser
    refuse: function (row, reason) {
      this.fail(row, reason);
      Refused.add(row.dataset.name || row.firstChild.textContent, reason);
    },

    showRefused: function () {
      var body = document.getElementById('jobs');
      var rows = Array.prototype.slice.call(body.querySelectorAll('tr[data-job]'));
      Refused.all().forEach(function (item) {
        var empty = body.querySelector('tr.empty');
        if (empty) empty.remove();
        var tr = el('tr', {'data-status': 'failed', 'class': 'refused'});
        tr.appendChild(el('td', {}, item.name));
        tr.appendChild(el('td', {}, '—'));
        tr.appendChild(el('td', {'class': 'status s-failed'}, '未上传'));
        var result = el('td', {'class': 'result'});
        result.appendChild(el('span', {'class': 'reason'}, item.reason));
        tr.appendChild(result);
        tr.appendChild(timeCell(item.at));
        var before = null;  // newest first, among the server's jobs
        for (var i = 0; i < rows.length; i++) {
          var t = rows[i].querySelector('time');
          if (t && t.getAttribute('datetime') && new Date(t.getAttribute('datetime')) < new Date(item.at)) { before = rows[i]; break; }
        }
        body.insertBefore(tr, before);
      });
    },

    fail: function (row, reason) {
      this.setStatus(row, 'failed');
      var result = row.querySelector('.result');
      result.textContent = '';
      result.appendChild(el('span', {'class': 'reason'}, reason));
    },

    next: function () {
      var self = this;
      while (this.active < this.limit && this.queue.length) {
        var item = this.queue.shift();
        this.active++;
        this.send(item.file, item.row, function () { self.active--; self.next(); });
      }
    },

    send: function (file, row, done) {
      var self = this;
      row.dataset.name = file.name;
      // The kind is the server's to tell, from the content (a file's name says nothing sure): a refused
      // file comes back as a 415 with the reason in Chinese.
      var bar = row.querySelector('progress');
      var form = new FormData();
      form.append('file', file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open('POST', '/api/v1/documents');
      xhr.setRequestHeader('Authorization', 'Bearer ' + Token.get());
      this.setStatus(row, 'uploading');
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total);
      };
      xhr.onload = function () {
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
        if (xhr.status === 202 && body.job) {
          bar.value = 100;
          row.dataset.job = body.job.id;
          self.show(row, body.job, body.duplicate);
          if (body.job.status === 'queued' || body.job.status === 'running') self.poll(row, body.job.id);
        } else if (xhr.status === 401 || xhr.status === 403) {
          Token.clear(); self.refreshToken();
          self.refuse(row, '令牌无效或缺失：请打开服务器启动时打印的网址（…?token=…）后再上传。');
        } else if (xhr.status === 413) {
          self.refuse(row, '文件太大：' + errorText(body, ''));
        } else {
          self.refuse(row, '文件被拒绝：' + errorText(body, xhr.statusText || '未知原因'));
        }
        done();
      };
      xhr.onerror = function () { self.refuse(row, '网络错误：上传没有完成，请检查服务器是否在运行。'); done(); };
      xhr.send(form);
    },

    show: function (row, job, duplicate) {
      this.setStatus(row, job.status, (JOB_LABELS[job.status] || job.status) + (duplicate && job.status === 'done' ? '（已存在）' : ''));
      var result = row.querySelector('.result');
      if (job.status === 'done' && job.document_id != null) {
        result.textContent = '';
        result.appendChild(el('a', {href: '/documents/' + job.document_id}, '查看文件'));
      } else if (job.status === 'failed') {
        this.fail(row, errorText(job, '提取失败'));
      }
      var when = job.finished_at || job.created_at, t = row.querySelector('time');
      if (when && t) { t.setAttribute('datetime', when); t.textContent = fmtTime(when); }
    },

    poll: function (row, id) {
      var self = this;
      fetch('/api/v1/jobs/' + encodeURIComponent(id), {headers: Token.get() ? {Authorization: 'Bearer ' + Token.get()} : {}})
        .then(function (r) { return r.json(); })
        .then(function (job) {
          self.show(row, job, false);
          if (job.status === 'queued' || job.status === 'running') setTimeout(function () { self.poll(row, id); }, 700);
        })
        .catch(function () { setTimeout(function () { self.poll(row, id); }, 2000); });
    }
  };

  // ------------------------------------------------------------ a page image with its highlight in view

  var PageImage = {
    // Loads the PNG, then scrolls `scroller` so the highlighted box (X-Highlight-Top and -Left: its
    // share of the page's height and width) is in the middle.
    load: function (img, url, scroller) {
      if (!img || !url) return;
      img.dataset.loading = url;
      fetch(url).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        var top = parseFloat(r.headers.get('X-Highlight-Top')), left = parseFloat(r.headers.get('X-Highlight-Left'));
        return r.blob().then(function (blob) { return {blob: blob, top: top, left: left}; });
      }).then(function (got) {
        if (img.dataset.loading !== url) return;  // another figure was clicked meanwhile
        if (img.src && img.src.indexOf('blob:') === 0) URL.revokeObjectURL(img.src);
        img.dataset.top = isNaN(got.top) ? '' : got.top;
        img.dataset.left = isNaN(got.left) ? '' : got.left;
        img.onload = function () { PageImage.center(img, scroller); };
        img.src = URL.createObjectURL(got.blob);
      }).catch(function () { img.alt = '无法显示 PDF 原页'; });
    },

    center: function (img, scroller) {
      var top = parseFloat(img.dataset.top), left = parseFloat(img.dataset.left);
      if (!scroller || isNaN(top)) return;
      var y = img.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop +
              top * img.clientHeight;
      scroller.scrollTop = Math.max(0, y - scroller.clientHeight / 2);
      if (!isNaN(left)) scroller.scrollLeft = Math.max(0, left * img.clientWidth - scroller.clientWidth / 4);
    },

    // The source panel's page: at its rendered size (108 dpi, the page's text readable) by default;
    // 放大 / 缩小 by a quarter, 整页 fits the panel's width.
    zoom: function (img, scroller, how) {
      var natural = img.naturalWidth || 893, now = img.clientWidth || natural;
      scroller.classList.remove('fit');
      if (how === 'fit') { img.style.width = ''; scroller.classList.add('fit'); }
      else img.style.width = Math.round(Math.max(200, Math.min(natural * 3, how === 'in' ? now * 1.25 : now / 1.25))) + 'px';
      PageImage.center(img, scroller);
    }
  };

  // ------------------------------------------------------------ document page

  var Doc = {
    init: function () {
      var text = document.getElementById('doc-text');
      if (!text) return;
      this.docId = text.dataset.document;
      this.hasPdf = text.dataset.hasPdf === '1';
      this.figures = JSON.parse(document.getElementById('figures-data').textContent);
      var self = this;
      text.addEventListener('click', function (e) {
        var mark = e.target.closest('mark[data-figure]');
        if (mark) self.show(mark.dataset.figure, mark);
      });
      text.addEventListener('keydown', function (e) {
        var mark = e.target.closest('mark[data-figure]');
        if (mark && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); self.show(mark.dataset.figure, mark); }
      });
      document.getElementById('source-close').addEventListener('click', function () {
        document.getElementById('source-body').hidden = true;
        document.getElementById('source-empty').hidden = false;
        document.getElementById('source').classList.remove('open');
        var active = document.querySelector('mark.active');
        if (active) active.focus();
      });
      var scroller = document.getElementById('src-scroll'), img = document.getElementById('src-image');
      document.getElementById('src-zoom').addEventListener('click', function (e) {
        var b = e.target.closest('button[data-zoom]');
        if (b) PageImage.zoom(img, scroller, b.dataset.zoom);
      });
      var wanted = new URLSearchParams(window.location.search).get('figure');
      if (wanted) {
        var mark = document.querySelector('mark[data-figure="' + CSS.escape(wanted) + '"]');
        if (mark) { mark.scrollIntoView({block: 'center'}); }
        this.show(wanted, mark);
      }
    },

    show: function (id, mark) {
      var f = this.figures[id];
      if (!f) return;
      Array.prototype.forEach.call(document.querySelectorAll('mark.active'), function (m) { m.classList.remove('active'); });
      if (mark) mark.classList.add('active');
      document.getElementById('source-empty').hidden = true;
      document.getElementById('source-body').hidden = false;
      // on a narrow screen the panel is under the whole text: it rises from the bottom instead (CSS
      // .source.open), so a tap shows the source where the reader is
      var panel = document.getElementById('source');
      panel.classList.add('open');
      panel.scrollTop = 0;
      if (window.matchMedia('(max-width: 1100px)').matches) {
        if (mark) window.scrollBy(0, mark.getBoundingClientRect().top - 60);  // the figure stays above the panel
      } else if (panel.getBoundingClientRect().top > window.innerHeight || panel.getBoundingClientRect().bottom < 0) {
        panel.scrollIntoView({block: 'start'});
      }
      document.getElementById('src-text').textContent = f.text;
      document.getElementById('src-subject').textContent = f.subject || '—';
      document.getElementById('src-value').textContent = fmt(f.value) + ' ' + f.unit + (f.qualifier ? '（' + f.qualifier + '）' : '');
      document.getElementById('src-place').textContent = f.place || '—';
      document.getElementById('src-date').textContent = f.as_of || f.issue_date || '—';
      document.getElementById('src-page').textContent = '第' + f.page + '页';
      var quote = document.getElementById('src-sentence');
      quote.textContent = '';
      var s = f.sentence || '', i = s.indexOf(f.text);
      if (i >= 0) {
        quote.appendChild(document.createTextNode(s.slice(0, i)));
        quote.appendChild(el('mark', {'class': 'hl hl-figure'}, f.text));
        quote.appendChild(document.createTextNode(s.slice(i + f.text.length)));
      } else {
        quote.textContent = s;
      }
      document.getElementById('src-detail').href = '/figures/' + f.id;
      var pdf = document.getElementById('src-pdf'), img = document.getElementById('src-image');
      pdf.hidden = document.getElementById('src-scroll').hidden = document.getElementById('src-zoom').hidden = !this.hasPdf;
      if (this.hasPdf) {
        pdf.href = '/api/v1/documents/' + this.docId + '/pdf#page=' + f.page;
        PageImage.load(img, '/documents/' + this.docId + '/pages/' + f.page + '.png?start=' + f.start + '&end=' + f.end,
                       document.getElementById('src-scroll'));
        img.alt = 'PDF 第' + f.page + '页，' + f.text + ' 已标出';
      }
    }
  };

  window.BulletinToken = Token;
  window.BulletinUpload = Upload;
  window.BulletinDocument = Doc;
  window.BulletinPage = PageImage;
})();
