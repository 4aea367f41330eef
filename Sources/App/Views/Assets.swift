import Crypto
import Foundation

/// The product's own style sheet, compiled into the binary so the server needs no asset folder and nothing
/// from the internet. Its URL carries a content hash so browsers may cache it for ever.
enum Assets {
    static let cssFileName: String = {
        let digest = SHA256.hash(data: Data(css.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
        return "app-\(digest).css"
    }()
    static var cssPath: String { "/assets/" + cssFileName }

    static let surveyScriptFileName: String = {
        let digest = SHA256.hash(data: Data(surveyScript.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
        return "survey-\(digest).js"
    }()
    static var surveyScriptPath: String { "/assets/" + surveyScriptFileName }

    /// The survey page's only script: hides a question whose condition is not met and disables its inputs, so
    /// nothing is sent for it. Without it every question shows, with its condition written beside it.
    static let surveyScript = """
        (function(){
        var reset=document.querySelector('[data-kiosk-reset]');
        if(reset){var hold=document.getElementById('kiosk-hold');
        var timer=setTimeout(function(){location.assign(reset.getAttribute('data-kiosk-reset'));},1000*parseInt(reset.getAttribute('data-seconds'),10));
        if(hold){hold.hidden=false;hold.addEventListener('click',function(){clearTimeout(timer);hold.hidden=true;reset.hidden=true;});}}
        var form=document.querySelector('form.survey');if(!form)return;
        var conds=Array.prototype.slice.call(form.querySelectorAll('[data-if-q]'));
        function values(name){var out=[];var els=form.querySelectorAll('[name="'+name+'"]');
        for(var i=0;i<els.length;i++){var e=els[i];if(e.disabled)continue;if((e.type==='radio'||e.type==='checkbox')&&!e.checked)continue;out.push(e.value);}return out;}
        function update(){conds.forEach(function(fs){var vs=values(fs.getAttribute('data-if-q'));var want=fs.getAttribute('data-if-v').split(' ');
        var show=vs.some(function(v){return want.indexOf(v)>=0;});fs.hidden=!show;
        Array.prototype.forEach.call(fs.querySelectorAll('input,textarea,select'),function(e){e.disabled=!show;});});}
        form.addEventListener('change',update);update();update();
        })();
        """

    static let css = """
        :root{--ink:#1b1f24;--muted:#4a5361;--line:#cfd6df;--bg:#f6f7f9;--card:#fff;--brand:#0b4f8a;--brand-ink:#fff;
        --accent:#b3261e;--ok:#0f6b3a;--focus:#f5b400;font-size:100%}
        *{box-sizing:border-box}
        body{margin:0;font-family:"Segoe UI","Noto Sans","DejaVu Sans",Arial,sans-serif;color:var(--ink);background:var(--bg);line-height:1.5}
        a{color:var(--brand)}a:hover{text-decoration-thickness:2px}
        :focus-visible{outline:3px solid var(--focus);outline-offset:2px}
        .skip-link{position:absolute;left:-999px;top:0;background:var(--card);padding:.5rem 1rem;z-index:10}
        .skip-link:focus{left:.5rem}
        .site-header{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;background:var(--brand);color:var(--brand-ink);padding:.6rem 1rem}
        .site-header a{color:var(--brand-ink)}
        .brand-link{text-decoration:none;display:flex;flex-direction:column}
        .brand-link strong{font-size:1.3rem;letter-spacing:.02em}.brand-sub{font-size:.8rem}
        .main-nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
        .main-nav a{text-decoration:none;padding:.3rem 0;border-bottom:3px solid transparent}
        .main-nav a[aria-current=page]{border-bottom-color:var(--focus);font-weight:600}
        .header-tools{margin-left:auto;display:flex;align-items:center;gap:1rem;flex-wrap:wrap}
        .link-button{background:none;border:1px solid var(--brand-ink);color:var(--brand-ink);border-radius:4px;padding:.25rem .7rem;cursor:pointer;font:inherit}
        main{max-width:72rem;margin:0 auto;padding:1.25rem 1rem 3rem}
        main:focus{outline:none}
        h1{font-size:1.6rem;margin:.2rem 0 1rem}h2{font-size:1.25rem;margin:1.5rem 0 .6rem}
        .site-footer{border-top:1px solid var(--line);color:var(--muted);font-size:.85rem;padding:1rem;text-align:center}
        .card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:1rem 1.25rem;margin-bottom:1rem}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:1rem}
        .stat{font-size:2rem;font-weight:700;color:var(--brand);display:block}
        table{border-collapse:collapse;width:100%;background:var(--card)}
        caption{text-align:left;font-weight:600;padding:.4rem 0}
        .visually-hidden{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
        th,td{border-bottom:1px solid var(--line);padding:.45rem .6rem;text-align:left;vertical-align:top}
        th{background:#eef1f5;font-weight:600}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        td.num{white-space:nowrap}
        .table-wrap{overflow-x:auto}
        .field{margin-bottom:1rem;display:flex;flex-direction:column;gap:.25rem;max-width:36rem}
        label{font-weight:600}
        input[type=text],input[type=email],input[type=password],input[type=search],input[type=number],input[type=date],input[type=file],select,textarea{
        font:inherit;padding:.5rem .6rem;border:1px solid #6b7685;border-radius:4px;background:#fff;color:var(--ink);min-height:2.6rem}
        .hint{color:var(--muted);margin:0;font-size:.9rem}
        .req{color:var(--accent)}
        .has-error input,.has-error select{border:2px solid var(--accent)}
        .field-error{color:var(--accent);margin:0;font-weight:600}
        .error-summary{border:3px solid var(--accent);background:#fff;padding:.75rem 1rem;margin-bottom:1rem}
        .error-summary h2{margin-top:0;color:var(--accent)}
        .flash{border-left:6px solid var(--ok);background:#e8f4ec;padding:.6rem 1rem;margin-bottom:1rem}
        .clock-banner{background:#fff4d6;color:#4d3200;border-bottom:2px solid #b07d00;padding:.4rem 1rem;text-align:center;font-weight:600}
        .notice{border-left:6px solid var(--brand);background:#e9f0f8;padding:.6rem 1rem;margin-bottom:1rem}
        .warning{border-left:6px solid var(--accent);background:#fbeceb;padding:.6rem 1rem;margin-bottom:1rem}
        button,.button{display:inline-block;font:inherit;font-weight:600;background:var(--brand);color:#fff;border:0;border-radius:4px;
        padding:.55rem 1.1rem;cursor:pointer;text-decoration:none;min-height:2.6rem}
        .button.secondary,button.secondary{background:#fff;color:var(--brand);border:2px solid var(--brand)}
        button.danger{background:var(--accent)}
        .actions{display:flex;flex-wrap:wrap;gap:.6rem;align-items:center;margin:1rem 0}
        form.inline{display:inline}
        .filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end;background:var(--card);border:1px solid var(--line);padding:.75rem;border-radius:6px;margin-bottom:1rem}
        .filters .field{margin:0}
        .pagination{display:flex;gap:1rem;align-items:center;margin:1rem 0}
        .facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:.25rem 1.5rem;margin:0}
        .facts div{border-bottom:1px solid var(--line);padding:.35rem 0}
        .facts dt{font-size:.85rem;color:var(--muted)}.facts dd{margin:0;font-weight:600}
        .badge{display:inline-block;padding:.05rem .5rem;border-radius:999px;background:#e4e8ee;font-size:.85rem}
        .badge.expired{background:#fbeceb;color:var(--accent)}
        .muted{color:var(--muted)}
        .tree{list-style:none;padding-left:1rem;border-left:2px solid var(--line)}
        .prewrap{white-space:pre-wrap}
        pre.json{white-space:pre-wrap;word-break:break-word;font-size:.8rem;background:#f0f2f5;padding:.5rem;margin:0}
        tr.group-row td,tr.group-row th{background:#f3f5f8;font-weight:600}
        .depth-1{padding-left:1.4rem}.depth-2{padding-left:2.6rem}.depth-3{padding-left:3.8rem}
        table.sheet input[type=text]{min-height:2.2rem;width:8rem;padding:.3rem .4rem}
        table.sheet textarea{display:block;width:100%;min-width:10rem;margin-top:.3rem;font:inherit}
        ul.evidence{margin:.3rem 0;padding-left:1.1rem;font-size:.9rem}
        code.digest{word-break:break-all;font-size:.85rem}
        details{margin:1rem 0}summary{cursor:pointer;font-weight:600;color:var(--brand)}
        fieldset{border:1px solid var(--line);border-radius:4px;margin:0 0 1rem;padding:.5rem 1rem}
        form.survey fieldset.question{border:1px solid var(--line);border-radius:6px;padding:.75rem 1rem;margin:0 0 1rem}
        form.survey legend{font-weight:600;font-size:1.05rem;padding:0 .25rem}
        form.survey .qno{color:var(--muted)}
        .choices{display:flex;flex-direction:column;gap:.4rem;margin:.4rem 0}
        .choices.scale{flex-direction:row;flex-wrap:wrap}
        label.choice{display:flex;align-items:center;gap:.6rem;min-height:48px;padding:.4rem .75rem;border:1px solid var(--line);border-radius:6px;background:#fff;cursor:pointer}
        label.choice input{width:1.4rem;height:1.4rem;margin:0;flex:none}
        .choices.scale label.choice{min-width:48px;justify-content:center}
        fieldset.matrix-row{border:0;border-top:1px solid var(--line);padding:.5rem 0;margin:0}
        fieldset.question.has-error{border-color:var(--accent);border-width:2px}
        form.survey input[type=text],form.survey textarea{width:100%;font:inherit;padding:.5rem;min-height:48px}
        button.big,.button.big{font-size:1.15rem;padding:.8rem 1.6rem;min-height:52px}
        .hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
        .site-header.bare{justify-content:center}
        .poster{text-align:center;max-width:40rem;margin:0 auto}.poster .qr svg{width:min(80vw,22rem);height:auto}
        .poster-unit{font-size:1.4rem;font-weight:700}.poster-url code{font-size:1.05rem;word-break:break-all}
        .chart-wrap{max-width:48rem;margin:.5rem 0 1rem}.chart-wrap svg{display:block;height:auto}
        ul.receipt-codes{columns:4;font-size:1.2rem;list-style:none;padding:0}
        form.receipts-form input{width:5rem;min-height:2.2rem}
        @media (max-width:40rem){.header-tools{margin-left:0}h1{font-size:1.35rem}th,td{padding:.35rem}}
        .nowrap{white-space:nowrap}.legend{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:1rem 0}.legend dt{font-weight:700}.legend dd{margin:0}
        .report{max-width:48rem;font-family:"Times New Roman",serif;font-size:1.1rem}.report h1{text-align:center}.report-subject{text-align:center;font-weight:700}
        .certificate{border:6px double #8a6d1f;padding:2rem 3rem;text-align:center;max-width:60rem;margin:1rem auto;background:#fffdf5;font-family:"Times New Roman",serif}
        .cert-issuer,.cert-motto{font-weight:700;margin:0}.cert-motto2{font-weight:700;margin:0 0 1.5rem}.cert-award{font-size:2.2rem;color:#9b1c1c;margin:1rem 0}
        .cert-holder{font-size:1.8rem;font-weight:700;margin:.5rem 0}.cert-to,.cert-for,.cert-unit{font-size:1.2rem}.cert-decision{font-style:italic;margin-top:2rem}
        @media print{.site-header,.site-footer,.actions,.filters,.pagination,form,details{display:none}
        form.sheet-form{display:block}table.sheet input,table.sheet textarea{border:0;padding:0}
        body{background:#fff;font-family:"Times New Roman",serif;font-size:12pt}main{max-width:none;padding:0}
        .card{border:0;padding:0}a{color:inherit;text-decoration:none}@page{size:A4;margin:2cm 1.5cm 2cm 3cm}
        .certificate{border:6px double #000;max-width:none;margin:0}}
        """
}
