/* Unit tests for ls_mime: media type, label and compression by name. */
#include <apr_general.h>

#include "ls_mime.h"
#include "tap.h"

int main(void)
{
    const ls_mime_t *m, *generic;

    apr_initialize();
    generic = ls_mime_lookup("README");

    is_str(generic->type, "application/octet-stream", "no extension: generic");
    is_str(generic->label, "File", "generic label");
    ok(!generic->compressed, "generic is not compressed");

    m = ls_mime_lookup("cat.jpg");
    is_str(m->type, "image/jpeg", "jpg type");
    is_str(m->label, "Image", "jpg label");
    ok(m->compressed, "jpg is compressed");
    is_str(m->ext, "jpg", "jpg ext");
    is_str(ls_mime_lookup("a.jpeg")->type, "image/jpeg", "jpeg");
    is_str(ls_mime_lookup("report.pdf")->label, "PDF", "pdf label");
    ok(!ls_mime_lookup("report.pdf")->compressed, "pdf is deflated");
    is_str(ls_mime_lookup("notes.txt")->type, "text/plain", "txt");
    is_str(ls_mime_lookup("image.svg")->type, "image/svg+xml", "svg");
    is_str(ls_mime_lookup("page.html")->label, "HTML", "html label");
    is_str(ls_mime_lookup("clip.mp4")->label, "Video", "mp4 label");
    is_str(ls_mime_lookup("song.mp3")->type, "audio/mpeg", "mp3");
    is_str(ls_mime_lookup("deck.pptx")->label, "Presentation", "pptx label");

    /* Case and position of the dot. */
    is_str(ls_mime_lookup("CAT.JPG")->type, "image/jpeg", "upper case");
    is_str(ls_mime_lookup("Dog.Png")->type, "image/png", "mixed case");
    is_str(ls_mime_lookup("archive.tar.gz")->type, "application/gzip",
           "last extension counts");
    is_str(ls_mime_lookup("photos/2026/cat.jpg")->type, "image/jpeg",
           "a path works");
    ok(ls_mime_lookup("photos.d/readme") == generic,
       "a dot in a folder name is not an extension");
    ok(ls_mime_lookup(".png") == generic, "dotfile has no extension");
    ok(ls_mime_lookup(".bashrc") == generic, "dotfile .bashrc");
    ok(ls_mime_lookup("name.") == generic, "trailing dot");
    ok(ls_mime_lookup("file.unknown") == generic, "unknown extension");
    ok(ls_mime_lookup("file.jpgx") == generic, "no prefix match");
    ok(ls_mime_lookup("file.jp") == generic, "no partial match");
    ok(ls_mime_lookup("") == generic, "empty name");
    ok(ls_mime_lookup(NULL) == generic, "NULL name");

    apr_terminate();
    /* Content-Type matching: exact media types, parameters allowed. */
    ok(ls_mime_type_is("application/json", "application/json"), "exact");
    ok(ls_mime_type_is("Application/JSON", "application/json"),
       "type and subtype ignore case");
    ok(ls_mime_type_is("application/json; charset=utf-8", "application/json"),
       "a parameter");
    ok(ls_mime_type_is("application/json;charset=\"utf-8\"",
                       "application/json"),
       "a quoted parameter, no space");
    ok(ls_mime_type_is(" application/json ;\tcharset=UTF-8 ; a=b ",
                       "application/json"),
       "spaces and tabs around the parts, several parameters");
    ok(ls_mime_type_is("application/json;", "application/json"),
       "an empty parameter");
    ok(ls_mime_type_is("application/json; q=\"a\\\"b; c\"", "application/json"),
       "a quoted string with an escaped quote and a ';'");
    ok(ls_mime_type_is("application/x-www-form-urlencoded; charset=UTF-8",
                       "application/x-www-form-urlencoded"),
       "a form");
    ok(!ls_mime_type_is("application/jsonp", "application/json"),
       "application/jsonp is not JSON");
    ok(!ls_mime_type_is("application/json-seq", "application/json"),
       "application/json-seq is not JSON");
    ok(!ls_mime_type_is("application/json2; x=y", "application/json"),
       "application/json2 is not JSON");
    ok(!ls_mime_type_is("application/x-www-form-urlencodedX",
                        "application/x-www-form-urlencoded"),
       "nor is a longer form type a form");
    ok(!ls_mime_type_is("text/json", "application/json"), "another type");
    ok(!ls_mime_type_is("application/ json", "application/json"),
       "a space inside the type");
    ok(!ls_mime_type_is("application/json x", "application/json"),
       "text after the type that is no parameter");
    ok(!ls_mime_type_is("application/json; charset", "application/json"),
       "a parameter without a value");
    ok(!ls_mime_type_is("application/json; charset=", "application/json"),
       "a parameter with an empty value");
    ok(!ls_mime_type_is("application/json; a=\"open", "application/json"),
       "an unterminated quoted string");
    ok(!ls_mime_type_is("application/json; a=b\r\nX: y", "application/json"),
       "a line break");
    ok(!ls_mime_type_is("application/json, text/html", "application/json"),
       "a list");
    ok(!ls_mime_type_is("", "application/json"), "empty");
    ok(!ls_mime_type_is(NULL, "application/json"), "absent");
    ok(!ls_mime_type_is("application", "application/json"), "no subtype");
    ok(!ls_mime_type_is("/json", "application/json"), "no type");

    done_testing();
}
